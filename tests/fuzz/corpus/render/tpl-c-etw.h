:/*
 * {{schema.name}}_etw.h - writes the {{provider.name}} events through
 * ETW on Windows, in the way of the header `mc.exe -um` makes; generated
 * by evgen {{evgen.version}} from {{schema.file}}.  Do not edit.
 *
 *   EventRegister{{provider.symbol}}()     call once before writing
 *   EventUnregister{{provider.symbol}}()   ...and once when done
 *   EventEnabled<EVENT>()       whether a session listens for the event
 *   EventWrite<EVENT>(fields)   writes it; returns a Win32 error code
 *
 * The fields are passed in schema order.  Pointers and sizes go out at the
 * writing process's own pointer size, as decoders expect; strings with
 * their terminator (a NULL string is written as "NULL", as mc.exe does);
 * binary fields as many bytes as their length field or fixed length says.
 * Link with advapi32.
 */
#ifndef {{schema.NAME}}_ETW_H
#define {{schema.NAME}}_ETW_H

#include <windows.h>
#include <evntprov.h>
{{#uses.string}}
#include <string.h>
#include <wchar.h>
{{/uses.string}}

#ifdef __cplusplus
extern "C" {
#endif

/* {{provider.guid}}: {{provider.name}} */
__declspec(selectany) const GUID {{provider.symbol}} =
    {{{provider.guid_c}}};

/* The registration handle EventRegister{{provider.symbol}}() sets. */
__declspec(selectany) REGHANDLE {{provider.symbol}}Handle = (REGHANDLE)0;

/* Id, Version, Channel, Level, Opcode, Task, Keyword */
{{#events}}
__declspec(selectany) const EVENT_DESCRIPTOR {{name}} =
    {{=<% %>=}}{<%id%>, <%version%>, 0, <%level.value%>, <%#has_opcode%><%opcode.value%><%/has_opcode%><%^has_opcode%>0<%/has_opcode%>, <%#has_task%><%task.value%><%/has_task%><%^has_task%>0<%/has_task%>, 0};<%={{ }}=%>
{{/events}}

static __inline ULONG EventRegister{{provider.symbol}}(void)
{
    return EventRegister(&{{provider.symbol}}, NULL, NULL,
                         &{{provider.symbol}}Handle);
}

static __inline ULONG EventUnregister{{provider.symbol}}(void)
{
    ULONG error = EventUnregister({{provider.symbol}}Handle);
    {{provider.symbol}}Handle = (REGHANDLE)0;
    return error;
}
{{#uses.ustring}}

static __inline void {{schema.name}}_etw_ustr(
    EVENT_DATA_DESCRIPTOR *d, PCWSTR s)
{
    if (!s)
        s = L"NULL";
    EventDataDescCreate(d, s, (ULONG)((wcslen(s) + 1) * sizeof(WCHAR)));
}
{{/uses.ustring}}
{{#uses.astring}}

static __inline void {{schema.name}}_etw_astr(
    EVENT_DATA_DESCRIPTOR *d, PCSTR s)
{
    if (!s)
        s = "NULL";
    EventDataDescCreate(d, s, (ULONG)(strlen(s) + 1));
}
{{/uses.astring}}
{{#events}}

/*
 * {{name}}{{#has_description}}
 * {{description}}{{/has_description}}
 */
static __inline BOOLEAN EventEnabled{{name}}(void)
{
    return EventEnabled({{provider.symbol}}Handle, &{{name}});
}

static __inline ULONG EventWrite{{name}}(
{{#fields}}
{{>c/etw_param}}
{{/fields}}
{{^has_fields}}
    void)
{{/has_fields}}
{
{{#has_fields}}
    EVENT_DATA_DESCRIPTOR d[{{nfields}}];

{{#fields}}
{{>c/etw_desc}}
{{/fields}}
    return EventWriteTransfer({{provider.symbol}}Handle, &{{name}},
                              NULL, NULL, {{nfields}}, d);
{{/has_fields}}
{{^has_fields}}
    return EventWriteTransfer({{provider.symbol}}Handle, &{{name}},
                              NULL, NULL, 0, NULL);
{{/has_fields}}
}
{{/events}}

#ifdef __cplusplus
}
#endif

#endif /* {{schema.NAME}}_ETW_H */
%%data
locales:
- name: en-US
  is_default: true
  tr: (the whole tree, in en-US)
evgen:
  version: 0.1.0
schema:
  name: heap_events
  NAME: HEAP_EVENTS
  file: heap1.yaml
provider:
  name: Heap Trace Provider
  symbol: HeapTraceProvider
  SYMBOL: HEAPTRACEPROVIDER
  guid: 222962ab-6180-4b88-a825-346b75f2a24a
  GUID: 222962AB-6180-4B88-A825-346B75F2A24A
  guid_c: "{0x222962ab, 0x6180, 0x4b88, {0xa8, 0x25, 0x34, 0x6b, 0x75, 0xf2, 0xa2, 0x4a}}"
  resource_file: "%SystemRoot%\\System32\\heap_events.dll"
  has_resource_file: true
  message_file: "%SystemRoot%\\System32\\heap_events.dll"
  has_message_file: true
  description: Heap trace provider
  description_id: provider.description
  has_description: true
tasks:
- name: Heap
  NAME: HEAP
  value: 1
  symbol: task_Heap
  guid: 222962ab-6180-4b88-a825-346b75f2a24a
  has_guid: true
  description: Heap operations
  description_id: tasks.Heap.description
  has_description: true
  index: 0
  first: true
  last: true
has_tasks: true
opcodes:
- name: Alloc
  NAME: ALLOC
  value: 33
  symbol: opcode_Alloc
  guid: ""
  has_guid: false
  description: Heap allocation
  description_id: opcodes.Alloc.description
  has_description: true
  index: 0
  first: true
  last: false
- name: ReAlloc
  NAME: REALLOC
  value: 34
  symbol: opcode_ReAlloc
  guid: ""
  has_guid: false
  description: Heap reallocation
  description_id: opcodes.ReAlloc.description
  has_description: true
  index: 1
  first: false
  last: false
- name: Free
  NAME: FREE
  value: 36
  symbol: opcode_Free
  guid: ""
  has_guid: false
  description: Heap free
  description_id: opcodes.Free.description
  has_description: true
  index: 2
  first: false
  last: true
has_opcodes: true
enums:
- name: MEMORY_SOURCE
  NAME: MEMORY_SOURCE
  lower: memory_source
  header: ntetw.h
  has_header: true
  description: Where the heap allocator took the memory from.
  description_id: enums.MEMORY_SOURCE.description
  has_description: true
  values:
  - name: MEMORY_FROM_LOOKASIDE
    anchor: memory_from_lookaside
    value: 1
    hex: "0x1"
    description: Memory from the lookaside list.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOOKASIDE.description
    has_description: true
    index: 0
    first: true
    last: false
  - name: MEMORY_FROM_LOWFRAG
    anchor: memory_from_lowfrag
    value: 2
    hex: "0x2"
    description: Memory from the low-fragmentation heap.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOWFRAG.description
    has_description: true
    index: 1
    first: false
    last: false
  - name: MEMORY_FROM_MAINPATH
    anchor: memory_from_mainpath
    value: 3
    hex: "0x3"
    description: Memory from the main code path.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_MAINPATH.description
    has_description: true
    index: 2
    first: false
    last: false
  - name: MEMORY_FROM_SLOWPATH
    anchor: memory_from_slowpath
    value: 4
    hex: "0x4"
    description: Memory from the slow code path.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SLOWPATH.description
    has_description: true
    index: 3
    first: false
    last: false
  - name: MEMORY_FROM_INVALID
    anchor: memory_from_invalid
    value: 5
    hex: "0x5"
    description: Memory that was not valid.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_INVALID.description
    has_description: true
    index: 4
    first: false
    last: false
  - name: MEMORY_FROM_SEGMENT_HEAP
    anchor: memory_from_segment_heap
    value: 6
    hex: "0x6"
    description: This value is reserved for future use and will never be returned.
    description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SEGMENT_HEAP.description
    has_description: true
    index: 5
    first: false
    last: true
  count: 6
  min: 1
  max: 6
  index: 0
  first: true
  last: true
has_enums: true
events:
- name: ETW_HEAP_EVENT_ALLOC
  NAME: ETW_HEAP_EVENT_ALLOC
  lower: etw_heap_event_alloc
  slug: etw-heap-event-alloc
  id: 33
  version: 2
  task:
    name: Heap
    NAME: HEAP
    value: 1
    symbol: task_Heap
    guid: 222962ab-6180-4b88-a825-346b75f2a24a
    has_guid: true
    description: Heap operations
    description_id: tasks.Heap.description
    has_description: true
    index: 0
    first: true
    last: true
  has_task: true
  opcode:
    name: Alloc
    NAME: ALLOC
    value: 33
    symbol: opcode_Alloc
    guid: ""
    has_guid: false
    description: Heap allocation
    description_id: opcodes.Alloc.description
    has_description: true
    index: 0
    first: true
    last: false
  has_opcode: true
  level:
    value: 4
    name: informational
    manifest: win:Informational
  description: Memory management tracing event for a heap allocation operation.
  description_id: events.ETW_HEAP_EVENT_ALLOC.description
  has_description: true
  message: Heap %1 allocated %2 bytes at %3 (source %4).
  message_id: events.ETW_HEAP_EVENT_ALLOC.message
  has_message: true
  doc:
    assetid: 572DEC3B-F909-45E5-849F-707AA62F2F5E
    date: 05/31/2018
    summary: The **ETW_HEAP_EVENT_ALLOC** event is a memory management tracing event for a heap allocation operation.
    summary_id: events.ETW_HEAP_EVENT_ALLOC.doc.summary
    has_summary: true
    remarks: The **ETW_HEAP_EVENT_ALLOC** event is logged on all heap allocations.
    remarks_id: events.ETW_HEAP_EVENT_ALLOC.doc.remarks
    has_remarks: true
  fields:
  - name: HeapHandle
    lower: heaphandle
    number: 1
    size32: 4
    size64: 8
    is_fixed: true
    is_variable: false
    has_fixed_offset: true
    offset32: 0
    offset64: 0
    enum: false
    has_enum: false
    has_length_field: false
    length_field: ""
    has_length_const: false
    length_const: 0
    is_length: false
    length_of: ""
    since: 0
    has_since: false
    description: The handle of the heap where the memory was allocated. This is the heap handle an app passed to the [**AllocateHeap**](/previous-versions/windows/desktop/legacy/aa374721(v=vs.85)) function when the memory was allocated.
    description_id: events.ETW_HEAP_EVENT_ALLOC.fields.HeapHandle.description
    has_description: true
    index: 0
    first: true
    last: false
    type: pointer
    codec: ptr
    c_type: uint64_t
    win_type: PVOID
    in_type: win:Pointer
    out_type: ""
    has_out_type: false
    size: 0
    is_pointer_sized: true
    is_pointer: true
    is_size: false
    is_integer: false
    is_signed: false
    is_hex: false
    is_bool: false
    is_float: false
    is_double: false
    is_guid: false
    is_filetime: false
    is_string: false
    is_ustring: false
    is_astring: false
    is_binary: false
  - name: Size
    lower: size
    number: 2
    size32: 4
    size64: 8
    is_fixed: true
    is_variable: false
    has_fixed_offset: true
    offset32: 4
    offset64: 8
    enum: false
    has_enum: false
    has_length_field: false
    length_field: ""
    has_length_const: false
    length_const: 0
    is_length: false
    length_of: ""
    since: 0
    has_since: false
    description: The size in bytes allocated from the heap.
    description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Size.description
    has_description: true
    index: 1
    first: false
    last: false
    type: size
    codec: ptr
    c_type: uint64_t
    win_type: SIZE_T
    in_type: win:Pointer
    out_type: xs:unsignedLong
    has_out_type: true
    size: 0
    is_pointer_sized: true
    is_pointer: false
    is_size: true
    is_integer: false
    is_signed: false
    is_hex: false
    is_bool: false
    is_float: false
    is_double: false
    is_guid: false
    is_filetime: false
    is_string: false
    is_ustring: false
    is_astring: false
    is_binary: false
  - name: Address
    lower: address
    number: 3
    size32: 4
    size64: 8
    is_fixed: true
    is_variable: false
    has_fixed_offset: true
    offset32: 8
    offset64: 16
    enum: false
    has_enum: false
    has_length_field: false
    length_field: ""
    has_length_const: false
    length_const: 0
    is_length: false
    length_of: ""
    since: 0
    has_since: false
    description: The address of the memory that was allocated.
    description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Address.description
    has_description: true
    index: 2
    first: false
    last: false
    type: pointer
    codec: ptr
    c_type: uint64_t
    win_type: PVOID
    in_type: win:Pointer
    out_type: ""
    has_out_type: false
    size: 0
    is_pointer_sized: true
    is_pointer: true
    is_size: false
    is_integer: false
    is_signed: false
    is_hex: false
    is_bool: false
    is_float: false
    is_double: false
    is_guid: false
    is_filetime: false
    is_string: false
    is_ustring: false
    is_astring: false
    is_binary: false
  - name: Source
    lower: source
    number: 4
    size32: 4
    size64: 4
    is_fixed: true
    is_variable: false
    has_fixed_offset: true
    offset32: 12
    offset64: 24
    enum:
      name: MEMORY_SOURCE
      NAME: MEMORY_SOURCE
      lower: memory_source
      header: ntetw.h
      has_header: true
      description: Where the heap allocator took the memory from.
      description_id: enums.MEMORY_SOURCE.description
      has_description: true
      values:
      - name: MEMORY_FROM_LOOKASIDE
        anchor: memory_from_lookaside
        value: 1
        hex: "0x1"
        description: Memory from the lookaside list.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOOKASIDE.description
        has_description: true
        index: 0
        first: true
        last: false
      - name: MEMORY_FROM_LOWFRAG
        anchor: memory_from_lowfrag
        value: 2
        hex: "0x2"
        description: Memory from the low-fragmentation heap.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOWFRAG.description
        has_description: true
        index: 1
        first: false
        last: false
      - name: MEMORY_FROM_MAINPATH
        anchor: memory_from_mainpath
        value: 3
        hex: "0x3"
        description: Memory from the main code path.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_MAINPATH.description
        has_description: true
        index: 2
        first: false
        last: false
      - name: MEMORY_FROM_SLOWPATH
        anchor: memory_from_slowpath
        value: 4
        hex: "0x4"
        description: Memory from the slow code path.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SLOWPATH.description
        has_description: true
        index: 3
        first: false
        last: false
      - name: MEMORY_FROM_INVALID
        anchor: memory_from_invalid
        value: 5
        hex: "0x5"
        description: Memory that was not valid.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_INVALID.description
        has_description: true
        index: 4
        first: false
        last: false
      - name: MEMORY_FROM_SEGMENT_HEAP
        anchor: memory_from_segment_heap
        value: 6
        hex: "0x6"
        description: This value is reserved for future use and will never be returned.
        description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SEGMENT_HEAP.description
        has_description: true
        index: 5
        first: false
        last: true
      count: 6
      min: 1
      max: 6
      index: 0
      first: true
      last: true
    has_enum: true
    has_length_field: false
    length_field: ""
    has_length_const: false
    length_const: 0
    is_length: false
    length_of: ""
    since: 0
    has_since: false
    description: The source of the memory that the allocator used for the heap allocation.
    description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Source.description
    has_description: true
    index: 3
    first: false
    last: true
    type: uint32
    codec: u32
    c_type: uint32_t
    win_type: ULONG
    in_type: win:UInt32
    out_type: ""
    has_out_type: false
    size: 4
    is_pointer_sized: false
    is_pointer: false
    is_size: false
    is_integer: true
    is_signed: false
    is_hex: false
    is_bool: false
    is_float: false
    is_double: false
    is_guid: false
    is_filetime: false
    is_string: false
    is_ustring: false
    is_astring: false
    is_binary: false
  nfields: 4
  has_fields: true
  is_fixed: true
  is_variable: false
  size32: 16
  size64: 28
  has_enum_fields: true
  has_strings: false
  has_binary: false
  has_pointer_sized: true
  layouts:
  - version: 2
    from: 0
    to: 2
    is_range: true
    fields:
    - name: HeapHandle
      lower: heaphandle
      number: 1
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 0
      offset64: 0
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The handle of the heap where the memory was allocated. This is the heap handle an app passed to the [**AllocateHeap**](/previous-versions/windows/desktop/legacy/aa374721(v=vs.85)) function when the memory was allocated.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.HeapHandle.description
      has_description: true
      index: 0
      first: true
      last: false
      type: pointer
      codec: ptr
      c_type: uint64_t
      win_type: PVOID
      in_type: win:Pointer
      out_type: ""
      has_out_type: false
      size: 0
      is_pointer_sized: true
      is_pointer: true
      is_size: false
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Size
      lower: size
      number: 2
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 4
      offset64: 8
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The size in bytes allocated from the heap.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Size.description
      has_description: true
      index: 1
      first: false
      last: false
      type: size
      codec: ptr
      c_type: uint64_t
      win_type: SIZE_T
      in_type: win:Pointer
      out_type: xs:unsignedLong
      has_out_type: true
      size: 0
      is_pointer_sized: true
      is_pointer: false
      is_size: true
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Address
      lower: address
      number: 3
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 8
      offset64: 16
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The address of the memory that was allocated.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Address.description
      has_description: true
      index: 2
      first: false
      last: false
      type: pointer
      codec: ptr
      c_type: uint64_t
      win_type: PVOID
      in_type: win:Pointer
      out_type: ""
      has_out_type: false
      size: 0
      is_pointer_sized: true
      is_pointer: true
      is_size: false
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Source
      lower: source
      number: 4
      size32: 4
      size64: 4
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 12
      offset64: 24
      enum:
        name: MEMORY_SOURCE
        NAME: MEMORY_SOURCE
        lower: memory_source
        header: ntetw.h
        has_header: true
        description: Where the heap allocator took the memory from.
        description_id: enums.MEMORY_SOURCE.description
        has_description: true
        values:
        - name: MEMORY_FROM_LOOKASIDE
          anchor: memory_from_lookaside
          value: 1
          hex: "0x1"
          description: Memory from the lookaside list.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOOKASIDE.description
          has_description: true
          index: 0
          first: true
          last: false
        - name: MEMORY_FROM_LOWFRAG
          anchor: memory_from_lowfrag
          value: 2
          hex: "0x2"
          description: Memory from the low-fragmentation heap.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOWFRAG.description
          has_description: true
          index: 1
          first: false
          last: false
        - name: MEMORY_FROM_MAINPATH
          anchor: memory_from_mainpath
          value: 3
          hex: "0x3"
          description: Memory from the main code path.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_MAINPATH.description
          has_description: true
          index: 2
          first: false
          last: false
        - name: MEMORY_FROM_SLOWPATH
          anchor: memory_from_slowpath
          value: 4
          hex: "0x4"
          description: Memory from the slow code path.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SLOWPATH.description
          has_description: true
          index: 3
          first: false
          last: false
        - name: MEMORY_FROM_INVALID
          anchor: memory_from_invalid
          value: 5
          hex: "0x5"
          description: Memory that was not valid.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_INVALID.description
          has_description: true
          index: 4
          first: false
          last: false
        - name: MEMORY_FROM_SEGMENT_HEAP
          anchor: memory_from_segment_heap
          value: 6
          hex: "0x6"
          description: This value is reserved for future use and will never be returned.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SEGMENT_HEAP.description
          has_description: true
          index: 5
          first: false
          last: true
        count: 6
        min: 1
        max: 6
        index: 0
        first: true
        last: true
      has_enum: true
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The source of the memory that the allocator used for the heap allocation.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Source.description
      has_description: true
      index: 3
      first: false
      last: true
      type: uint32
      codec: u32
      c_type: uint32_t
      win_type: ULONG
      in_type: win:UInt32
      out_type: ""
      has_out_type: false
      size: 4
      is_pointer_sized: false
      is_pointer: false
      is_size: false
      is_integer: true
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    nfields: 4
    has_fields: true
    is_fixed: true
    size32: 16
    size64: 28
    min32: 16
    min64: 28
    new_fields:
    - name: HeapHandle
      lower: heaphandle
      number: 1
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 0
      offset64: 0
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The handle of the heap where the memory was allocated. This is the heap handle an app passed to the [**AllocateHeap**](/previous-versions/windows/desktop/legacy/aa374721(v=vs.85)) function when the memory was allocated.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.HeapHandle.description
      has_description: true
      index: 0
      first: true
      last: false
      type: pointer
      codec: ptr
      c_type: uint64_t
      win_type: PVOID
      in_type: win:Pointer
      out_type: ""
      has_out_type: false
      size: 0
      is_pointer_sized: true
      is_pointer: true
      is_size: false
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Size
      lower: size
      number: 2
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 4
      offset64: 8
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The size in bytes allocated from the heap.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Size.description
      has_description: true
      index: 1
      first: false
      last: false
      type: size
      codec: ptr
      c_type: uint64_t
      win_type: SIZE_T
      in_type: win:Pointer
      out_type: xs:unsignedLong
      has_out_type: true
      size: 0
      is_pointer_sized: true
      is_pointer: false
      is_size: true
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Address
      lower: address
      number: 3
      size32: 4
      size64: 8
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 8
      offset64: 16
      enum: false
      has_enum: false
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The address of the memory that was allocated.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Address.description
      has_description: true
      index: 2
      first: false
      last: false
      type: pointer
      codec: ptr
      c_type: uint64_t
      win_type: PVOID
      in_type: win:Pointer
      out_type: ""
      has_out_type: false
      size: 0
      is_pointer_sized: true
      is_pointer: true
      is_size: false
      is_integer: false
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    - name: Source
      lower: source
      number: 4
      size32: 4
      size64: 4
      is_fixed: true
      is_variable: false
      has_fixed_offset: true
      offset32: 12
      offset64: 24
      enum:
        name: MEMORY_SOURCE
        NAME: MEMORY_SOURCE
        lower: memory_source
        header: ntetw.h
        has_header: true
        description: Where the heap allocator took the memory from.
        description_id: enums.MEMORY_SOURCE.description
        has_description: true
        values:
        - name: MEMORY_FROM_LOOKASIDE
          anchor: memory_from_lookaside
          value: 1
          hex: "0x1"
          description: Memory from the lookaside list.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOOKASIDE.description
          has_description: true
          index: 0
          first: true
          last: false
        - name: MEMORY_FROM_LOWFRAG
          anchor: memory_from_lowfrag
          value: 2
          hex: "0x2"
          description: Memory from the low-fragmentation heap.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_LOWFRAG.description
          has_description: true
          index: 1
          first: false
          last: false
        - name: MEMORY_FROM_MAINPATH
          anchor: memory_from_mainpath
          value: 3
          hex: "0x3"
          description: Memory from the main code path.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_MAINPATH.description
          has_description: true
          index: 2
          first: false
          last: false
        - name: MEMORY_FROM_SLOWPATH
          anchor: memory_from_slowpath
          value: 4
          hex: "0x4"
          description: Memory from the slow code path.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SLOWPATH.description
          has_description: true
          index: 3
          first: false
          last: false
        - name: MEMORY_FROM_INVALID
          anchor: memory_from_invalid
          value: 5
          hex: "0x5"
          description: Memory that was not valid.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_INVALID.description
          has_description: true
          index: 4
          first: false
          last: false
        - name: MEMORY_FROM_SEGMENT_HEAP
          anchor: memory_from_segment_heap
          value: 6
          hex: "0x6"
          description: This value is reserved for future use and will never be returned.
          description_id: enums.MEMORY_SOURCE.values.MEMORY_FROM_SEGMENT_HEAP.description
          has_description: true
          index: 5
          first: false
          last: true
        count: 6
        min: 1
        max: 6
        index: 0
        first: true
        last: true
      has_enum: true
      has_length_field: false
      length_field: ""
      has_length_const: false
      length_const: 0
      is_length: false
      length_of: ""
      since: 0
      has_since: false
      description: The source of the memory that the allocator used for the heap allocation.
      description_id: events.ETW_HEAP_EVENT_ALLOC.fields.Source.description
      has_description: true
      index: 3
      first: false
      last: true
      type: uint32
      codec: u32
      c_type: uint32_t
      win_type: ULONG
      in_type: win:UInt32
      out_type: ""
      has_out_type: false
      size: 4
      is_pointer_sized: false
      is_pointer: false
      is_size: false
      is_integer: true
      is_signed: false
      is_hex: false
      is_bool: false
      is_float: false
      is_double: false
      is_guid: false
      is_filetime: false
      is_string: false
      is_ustring: false
      is_astring: false
      is_binary: false
    has_new_fields: true
    is_current: true
    template: ETW_HEAP_EVENT_ALLOC_v2
    index: 0
    first: true
    last: true
  has_old_layouts: false
  template: ETW_HEAP_EVENT_ALLOC_v2
  index: 0
  first: true
  last: true
uses:
  i8: false
  i16: false
  i32: false
  i64: false
  u8: false
  u16: false
  u32: true
  u64: false
  ptr: true
  bool: false
  f32: false
  f64: false
  guid: false
  ustr: false
  astr: false
  bin: false
  pointer: true
  size: true
  integer: true
  signed: false
  hex: false
  float: false
  double: false
  filetime: false
  string: false
  ustring: false
  astring: false
  binary: false
  enum: true
docs:
  header: Ntwmi.h
  api_location: ntwmi.h
  min_client: Windows 7 [desktop apps only]
  min_server: Windows Server 2008 R2 [desktop apps only]
  overview:
    file: memory-management-tracing-events
    title: Memory Management Tracing Events
    assetid: D53BD414-F140-496E-884F-5A4EC4F0AAC4
    date: 05/31/2018
    description: "Learn more about: Memory Management Tracing Events"
    body: "This section describes the memory management tracing events in detail.\n\nMemory management tracing is a troubleshooting feature that can be\nenabled in retail binaries to trace certain memory management events\nwith minimal overhead. This feature allows for better diagnostic\ncapabilities for developers and product support. Memory management event\ntracing supports tracing heap allocation, reallocation, and free\noperations.\n\nMemory management event tracing uses Event Tracing for Windows (ETW), a\ngeneral-purpose, high-speed tracing facility provided by the operating\nsystem. ETW provides a tracing mechanism for events raised by both\nuser-mode applications and kernel-mode device drivers. ETW can enable and\ndisable logging dynamically, making it easy to perform detailed tracing\nin production environments without requiring reboots or application\nrestarts. Memory management event tracing using ETW is supported on\nWindows 7, Windows Server 2008 R2, and later. For general information on\nETW, see [Improve Debugging And Performance Tuning With ETW](/archive/msdn-magazine/2007/april/event-tracing-improve-debugging-and-performance-tuning-with-etw)."
    events_intro: The following list provides detailed information for each memory management tracing event. For additional information on any event, click the event name.
    related:
    - title: Improve Debugging And Performance Tuning With ETW
      url: /archive/msdn-magazine/2007/april/event-tracing-improve-debugging-and-performance-tuning-with-etw
      index: 0
      first: true
      last: true
strings:
  title: "{{{name}}} event ({{{docs.header}}})"
  heading: "{{name}} event"
  parameters: Parameters
  remarks: Remarks
  requirements: Requirements
  see_also: See also
  related_topics: Related topics
  value: Value
  meaning: Meaning
  requirement: Requirement
  min_client: Minimum supported client
  min_server: Minimum supported server
  header: Header
  event_name: Event Name
  description: Description
  values_intro: "The following table lists the possible values for the *{{name}}* parameter as defined in the *{{enum.header}}* header file:"
  no_parameters: This event has no parameters.
  layout: Payload layout
  layout_intro: The payload is packed, little-endian and without padding. Pointers and sizes are 4 bytes wide when a 32-bit process logged the event and 8 bytes wide when a 64-bit process did.
  version_layout: Version {{version}}
  field: Field
  type: Type
  offset_32: Offset (32-bit)
  size_32: Size (32-bit)
  offset_64: Offset (64-bit)
  size_64: Size (64-bit)
  variable: variable
  total: Total
  added_in: Added in version {{since}}.
  values_intro_no_header: "The following table lists the possible values for the *{{name}}* parameter:"
  versions_layout: Versions {{from}} to {{to}}
  sized_by: The length of this parameter in bytes is given by the *{{length_field}}* parameter.
  min_size: variable, at least {{.}}
locale:
  name: en-US
  is_default: true
%%partial c/codec.c
/*
 * {{schema.name}}.c - encoders and decoders of the {{provider.name}}
 * events' payloads, generated by evgen {{evgen.version}} from {{schema.file}}.
 * Do not edit: change the schema or templates/c/ and regenerate.
 *
 * {{schema.name}}.h describes the interface.  Inside, each event has three
 * plain lists of its fields, one per direction (read, write, JSON), run
 * by small helpers per field type; the helpers carry the bounds checks.
 */
#include "{{schema.name}}.h"

{{#uses.double}}
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
{{/uses.double}}
{{^uses.double}}
{{#uses.float}}
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
{{/uses.float}}
{{/uses.double}}
#include <string.h>

/* ---- Compile-time checks ------------------------------------------------
 *
 * C99 has no static_assert: an array of negative size stops the build.
 * The size constants in the header must be the sums of the field sizes.
 */
#define STATIC_CHECK(name, cond)                                            \
    typedef char static_check_##name[(cond) ? 1 : -1]

{{#uses.float}}
STATIC_CHECK(float_is_32_bits, sizeof(float) == 4);
{{/uses.float}}
{{#uses.double}}
STATIC_CHECK(double_is_64_bits, sizeof(double) == 8);
{{/uses.double}}
{{#events}}
{{#is_fixed}}
STATIC_CHECK({{lower}}_size32,
             {{schema.NAME}}_{{NAME}}_SIZE32 ==
                 {{#fields}}{{^first}} + {{/first}}{{size32}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
STATIC_CHECK({{lower}}_size64,
             {{schema.NAME}}_{{NAME}}_SIZE64 ==
                 {{#fields}}{{^first}} + {{/first}}{{size64}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
{{/is_fixed}}
{{^is_fixed}}
STATIC_CHECK({{lower}}_size32,
             {{schema.NAME}}_{{NAME}}_MIN_SIZE32 ==
                 {{#fields}}{{^first}} + {{/first}}{{size32}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
STATIC_CHECK({{lower}}_size64,
             {{schema.NAME}}_{{NAME}}_MIN_SIZE64 ==
                 {{#fields}}{{^first}} + {{/first}}{{size64}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
{{/is_fixed}}
{{#has_old_layouts}}
{{#layouts}}
STATIC_CHECK({{lower}}_v{{version}}_size32,
             {{schema.NAME}}_{{NAME}}_V{{version}}_{{^is_fixed}}MIN_{{/is_fixed}}SIZE32 ==
                 {{#fields}}{{^first}} + {{/first}}{{size32}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
STATIC_CHECK({{lower}}_v{{version}}_size64,
             {{schema.NAME}}_{{NAME}}_V{{version}}_{{^is_fixed}}MIN_{{/is_fixed}}SIZE64 ==
                 {{#fields}}{{^first}} + {{/first}}{{size64}}{{#is_ustring}} + 2{{/is_ustring}}{{#is_astring}} + 1{{/is_astring}}{{/fields}});
{{/layouts}}
{{/has_old_layouts}}
{{/events}}

/* ---- Status codes and identity ---------------------------------------- */

const char *{{schema.name}}_strerror(int status)
{
    switch (status) {
    case {{schema.NAME}}_OK:
        return "success";
    case {{schema.NAME}}_E_TOO_SHORT:
        return "payload too short";
    case {{schema.NAME}}_E_NO_TERMINATOR:
        return "string without terminator inside the payload";
    case {{schema.NAME}}_E_LENGTH_PAST_END:
        return "length field points past the end of the payload";
    case {{schema.NAME}}_E_POINTER_SIZE:
        return "bad pointer size (must be 4 or 8)";
    case {{schema.NAME}}_E_ARGUMENT:
        return "NULL pointer with a nonzero length";
    case {{schema.NAME}}_E_BUFFER_TOO_SMALL:
        return "buffer too small";
    case {{schema.NAME}}_E_RANGE:
        return "value does not fit in the pointer size";
    case {{schema.NAME}}_E_LENGTH_MISMATCH:
        return "binary field length differs from its length field";
    case {{schema.NAME}}_E_EMBEDDED_NUL:
        return "string contains a NUL character";
    case {{schema.NAME}}_E_TOO_LARGE:
        return "payload too large";
    case {{schema.NAME}}_E_VERSION:
        return "version newer than the schema's";
    case {{schema.NAME}}_E_UNKNOWN_EVENT:
        return "unknown event";
    case {{schema.NAME}}_E_AMBIGUOUS:
        return "several events have this opcode";
    default:
        return "unknown status";
    }
}

const struct {{schema.name}}_guid {{schema.name}}_provider_guid =
    {{schema.NAME}}_PROVIDER_GUID_INIT;
{{#enums}}

const char *{{schema.name}}_{{lower}}_name(uint32_t value)
{
    switch (value) {
{{#values}}
    case {{schema.NAME}}_{{name}}:
        return "{{name}}";
{{/values}}
    default:
        return NULL;
    }
}

int {{schema.name}}_{{lower}}_is_known(uint32_t value)
{
    return {{schema.name}}_{{lower}}_name(value) != NULL;
}
{{/enums}}

/* ---- Little-endian bytes, whatever the host's order ---------------------
 *
 * LOAD_<codec>(p) reads a field's value at p, STORE_<codec>(p, v) writes
 * it.  Compilers turn the byte arithmetic into single loads and stores.
 * Signed values are converted without relying on implementation-defined
 * conversions.
 */

#define LOAD_u8(p) ((uint8_t)(p)[0])
#define LOAD_u16(p) ((uint16_t)((p)[0] | (p)[1] << 8))
#define LOAD_u32(p)                                                         \
    ((uint32_t)(p)[0] | (uint32_t)(p)[1] << 8 | (uint32_t)(p)[2] << 16 |    \
     (uint32_t)(p)[3] << 24)
#define LOAD_u64(p) ((uint64_t)LOAD_u32(p) | (uint64_t)LOAD_u32((p) + 4) << 32)
#define LOAD_i8(p) ((int8_t)(LOAD_u8(p) - (LOAD_u8(p) >= 0x80 ? 0x100 : 0)))
#define LOAD_i16(p)                                                         \
    ((int16_t)((int32_t)LOAD_u16(p) - (LOAD_u16(p) >= 0x8000 ? 0x10000 : 0)))
#define LOAD_i32(p)                                                         \
    (LOAD_u32(p) >= 0x80000000u                                             \
         ? (int32_t)(LOAD_u32(p) - 0x80000000u) - INT32_MAX - 1             \
         : (int32_t)LOAD_u32(p))
#define LOAD_i64(p)                                                         \
    (LOAD_u64(p) >= 0x8000000000000000u                                     \
         ? (int64_t)(LOAD_u64(p) - 0x8000000000000000u) - INT64_MAX - 1     \
         : (int64_t)LOAD_u64(p))
#define LOAD_bool(p) LOAD_i32(p)

/* Statements: each evaluates v once, into a local that the stores to p
 * cannot alias. */
#define STORE_u8(p, v) ((p)[0] = (uint8_t)(v))
#define STORE_u16(p, v)                                                     \
    do {                                                                    \
        uint16_t v16_ = (uint16_t)(v);                                      \
        (p)[0] = (uint8_t)v16_;                                             \
        (p)[1] = (uint8_t)(v16_ >> 8);                                      \
    } while (0)
#define STORE_u32(p, v)                                                     \
    do {                                                                    \
        uint32_t v32_ = (uint32_t)(v);                                      \
        STORE_u16((p), v32_);                                               \
        STORE_u16((p) + 2, v32_ >> 16);                                     \
    } while (0)
#define STORE_u64(p, v)                                                     \
    do {                                                                    \
        uint64_t v64_ = (uint64_t)(v);                                      \
        STORE_u32((p), v64_);                                               \
        STORE_u32((p) + 4, v64_ >> 32);                                     \
    } while (0)
#define STORE_i8(p, v) STORE_u8(p, (uint8_t)(v))
#define STORE_i16(p, v) STORE_u16(p, (uint16_t)(v))
#define STORE_i32(p, v) STORE_u32(p, (uint32_t)(v))
#define STORE_i64(p, v) STORE_u64(p, (uint64_t)(v))
#define STORE_bool(p, v) STORE_u32(p, (uint32_t)(v))
{{#uses.f32}}

/* Floats travel as their IEEE 754 bits. */
static float f32_from_bits(uint32_t u)
{
    float v;
    memcpy(&v, &u, sizeof(v));
    return v;
}

static uint32_t f32_bits(float v)
{
    uint32_t u;
    memcpy(&u, &v, sizeof(u));
    return u;
}

#define LOAD_f32(p) f32_from_bits(LOAD_u32(p))
#define STORE_f32(p, v) STORE_u32(p, f32_bits(v))
{{/uses.f32}}
{{#uses.f64}}

static double f64_from_bits(uint64_t u)
{
    double v;
    memcpy(&v, &u, sizeof(v));
    return v;
}

static uint64_t f64_bits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof(u));
    return u;
}

#define LOAD_f64(p) f64_from_bits(LOAD_u64(p))
#define STORE_f64(p, v) STORE_u64(p, f64_bits(v))
{{/uses.f64}}
{{#uses.guid}}

static void load_guid(struct {{schema.name}}_guid *g, const uint8_t *p)
{
    g->data1 = LOAD_u32(p);
    g->data2 = LOAD_u16(p + 4);
    g->data3 = LOAD_u16(p + 6);
    memcpy(g->data4, p + 8, 8);
}

static void store_guid(uint8_t *p, const struct {{schema.name}}_guid *g)
{
    STORE_u32(p, g->data1);
    STORE_u16(p + 4, g->data2);
    STORE_u16(p + 6, g->data3);
    memcpy(p + 8, g->data4, 8);
}
{{/uses.guid}}

/* What a decoder reports on success. */
static int decoded(struct {{schema.name}}_info *info, unsigned pointer_size,
                   unsigned version, unsigned current, size_t size,
                   size_t used, unsigned unknown_enums)
{
    if (info) {
        info->pointer_size = pointer_size;
        info->version = version;
        info->decoded = version < current ? version : current;
        info->size = used;
        info->trailing = size - used;
        info->unknown_enums = unknown_enums;
        info->field = NULL;
        info->offset = 0;
    }
    return {{schema.NAME}}_OK;
}

/* ---- Reading ------------------------------------------------------------
 *
 * A reader walks a payload field by field.  Errors are sticky: the first
 * is kept with the field it happened in, and from then on the reader has
 * no bytes left, so the reads after it fail too and change nothing.  An
 * event's decoder is thus a plain list of reads, checked once at the end.
 */

struct reader {
    const uint8_t *p;
    size_t end;             /* the payload's size */
    size_t size;            /* bytes readable: end, or off after an error */
    size_t off;             /* the next byte to read */
    unsigned psize;         /* pointer size */
    unsigned asked;         /* the version asked for */
    unsigned version;       /* the layout read: asked, or the schema's */
    unsigned unknown_enums;
    int status;             /* the first error */
    const char *field;      /* ...the field it happened in */
    size_t field_off;       /* ...and where that field starts */
};

static const uint8_t no_bytes[1];

static void fail(struct reader *r, int status, const char *field)
{
    if (r->status == 0) {
        r->status = status;
        r->field = field;
        r->field_off = r->off;
    }
    r->size = r->off;
}

static void reader_start(struct reader *r, const void *data, size_t size,
                         unsigned pointer_size, unsigned version,
                         unsigned current)
{
    r->p = data ? (const uint8_t *)data : no_bytes;
    r->end = r->size = size;
    r->off = 0;
    r->psize = pointer_size;
    r->asked = version;
    r->version = version < current ? version : current;
    r->unknown_enums = 0;
    r->status = 0;
    r->field = NULL;
    r->field_off = 0;
    if (pointer_size != 4 && pointer_size != 8)
        fail(r, {{schema.NAME}}_E_POINTER_SIZE, NULL);
    else if (!data && size)
        fail(r, {{schema.NAME}}_E_ARGUMENT, NULL);
}

static int reader_end(const struct reader *r, struct {{schema.name}}_info *info,
                      unsigned current)
{
    if (r->status == 0)
        return decoded(info, r->psize, r->asked, current, r->end, r->off,
                       r->unknown_enums);
    if (info) {
        memset(info, 0, sizeof(*info));
        info->pointer_size = r->psize;
        info->version = r->asked;
        info->decoded = r->version;
        info->size = r->off;
        info->field = r->field;
        info->offset = r->field_off;
    }
    return r->status;
}

/* An event's field list, run by the general paths (decode_checked and
 * encode_checked).  They take the event as void * so that one general path
 * serves every event; it stays out of line, which keeps the fast paths
 * lean. */
typedef void read_fields(struct reader *r, void *ev);

static int decode_checked(read_fields *fields, void *ev, size_t ev_size,
                          const void *data, size_t size,
                          unsigned pointer_size, unsigned version,
                          unsigned current, struct {{schema.name}}_info *info)
{
    struct reader r;

    reader_start(&r, data, size, pointer_size, version, current);
    memset(ev, 0, ev_size);
    fields(&r, ev);
    return reader_end(&r, info, current);
}

/* The next n bytes, or NULL after failing with status. */
static const uint8_t *take(struct reader *r, size_t n, int status,
                           const char *field)
{
    const uint8_t *q;
    if (r->size - r->off < n) {
        fail(r, status, field);
        return NULL;
    }
    q = r->p + r->off;
    r->off += n;
    return q;
}
{{#uses.i8}}

static void rd_i8(struct reader *r, int8_t *v, const char *field)
{
    const uint8_t *q = take(r, 1, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_i8(q);
}
{{/uses.i8}}
{{#uses.u8}}

static void rd_u8(struct reader *r, uint8_t *v, const char *field)
{
    const uint8_t *q = take(r, 1, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_u8(q);
}
{{/uses.u8}}
{{#uses.i16}}

static void rd_i16(struct reader *r, int16_t *v, const char *field)
{
    const uint8_t *q = take(r, 2, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_i16(q);
}
{{/uses.i16}}
{{#uses.u16}}

static void rd_u16(struct reader *r, uint16_t *v, const char *field)
{
    const uint8_t *q = take(r, 2, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_u16(q);
}
{{/uses.u16}}
{{#uses.i32}}

static void rd_i32(struct reader *r, int32_t *v, const char *field)
{
    const uint8_t *q = take(r, 4, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_i32(q);
}
{{/uses.i32}}
{{#uses.u32}}

static void rd_u32(struct reader *r, uint32_t *v, const char *field)
{
    const uint8_t *q = take(r, 4, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_u32(q);
}
{{/uses.u32}}
{{#uses.i64}}

static void rd_i64(struct reader *r, int64_t *v, const char *field)
{
    const uint8_t *q = take(r, 8, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_i64(q);
}
{{/uses.i64}}
{{#uses.u64}}

static void rd_u64(struct reader *r, uint64_t *v, const char *field)
{
    const uint8_t *q = take(r, 8, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_u64(q);
}
{{/uses.u64}}
{{#uses.ptr}}

/* Pointers and sizes: P bytes, widened. */
static void rd_ptr(struct reader *r, uint64_t *v, const char *field)
{
    const uint8_t *q = take(r, r->psize, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = r->psize == 8 ? LOAD_u64(q) : LOAD_u32(q);
}
{{/uses.ptr}}
{{#uses.bool}}

static void rd_bool(struct reader *r, int32_t *v, const char *field)
{
    const uint8_t *q = take(r, 4, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_bool(q);
}
{{/uses.bool}}
{{#uses.f32}}

static void rd_f32(struct reader *r, float *v, const char *field)
{
    const uint8_t *q = take(r, 4, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_f32(q);
}
{{/uses.f32}}
{{#uses.f64}}

static void rd_f64(struct reader *r, double *v, const char *field)
{
    const uint8_t *q = take(r, 8, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        *v = LOAD_f64(q);
}
{{/uses.f64}}
{{#uses.guid}}

static void rd_guid(struct reader *r, struct {{schema.name}}_guid *v,
                    const char *field)
{
    const uint8_t *q = take(r, 16, {{schema.NAME}}_E_TOO_SHORT, field);
    if (q)
        load_guid(v, q);
}
{{/uses.guid}}
{{#uses.ustr}}

/* A UTF-16LE string runs to the first 16-bit zero unit. */
static void rd_ustr(struct reader *r, struct {{schema.name}}_ustr *v,
                    const char *field)
{
    size_t i;
    for (i = r->off; r->size - i >= 2; i += 2) {
        if (r->p[i] == 0 && r->p[i + 1] == 0) {
            v->data = r->p + r->off;
            v->len = (i - r->off) / 2;
            r->off = i + 2;
            return;
        }
    }
    fail(r, {{schema.NAME}}_E_NO_TERMINATOR, field);
}
{{/uses.ustr}}
{{#uses.astr}}

static void rd_astr(struct reader *r, struct {{schema.name}}_astr *v,
                    const char *field)
{
    const uint8_t *nul = memchr(r->p + r->off, 0, r->size - r->off);
    if (!nul) {
        fail(r, {{schema.NAME}}_E_NO_TERMINATOR, field);
        return;
    }
    v->data = (const char *)(r->p + r->off);
    v->len = (size_t)(nul - (r->p + r->off));
    r->off += v->len + 1;
}
{{/uses.astr}}
{{#uses.bin}}

/* len bytes; status says why they may be missing (a length field pointing
 * past the end, or a payload too short for a fixed length). */
static void rd_bin(struct reader *r, struct {{schema.name}}_bytes *v,
                   size_t len, int status, const char *field)
{
    const uint8_t *q = take(r, len, status, field);
    if (q) {
        v->data = q;
        v->len = len;
    }
}
{{/uses.bin}}

/* ---- Writing ------------------------------------------------------------
 *
 * A writer appends fields to the caller's buffer, counting on past its end
 * so that a buffer too small still learns the size needed.  Errors are
 * sticky, as in reading, and stop the writing.
 */

struct writer {
    uint8_t *buf;
    size_t cap;
    size_t off;       /* bytes written, or that would have been */
    unsigned psize;
    unsigned version; /* the layout written */
    int status;       /* the first error */
};

static void werr(struct writer *w, int status)
{
    if (w->status == 0)
        w->status = status;
    w->cap = 0;
}

static void writer_start(struct writer *w, void *buf, size_t cap,
                         unsigned pointer_size, unsigned version,
                         unsigned current)
{
    w->buf = buf;
    w->cap = cap;
    w->off = 0;
    w->psize = pointer_size;
    w->version = version;
    w->status = 0;
    if (pointer_size != 4 && pointer_size != 8)
        werr(w, {{schema.NAME}}_E_POINTER_SIZE);
    else if (version > current)
        werr(w, {{schema.NAME}}_E_VERSION);
    else if (!buf && cap)
        werr(w, {{schema.NAME}}_E_ARGUMENT);
}

static int writer_end(struct writer *w, size_t *size)
{
    if (w->status == 0 && w->off > w->cap)
        w->status = {{schema.NAME}}_E_BUFFER_TOO_SMALL;
    if (size)
        *size = w->status == 0 ||
                        w->status == {{schema.NAME}}_E_BUFFER_TOO_SMALL
                    ? w->off
                    : 0;
    return w->status;
}

typedef void write_fields(struct writer *w, const void *ev);

static int encode_checked(write_fields *fields, const void *ev,
                          void *buf, size_t cap, unsigned pointer_size,
                          unsigned version, unsigned current, size_t *size)
{
    struct writer w;

    writer_start(&w, buf, cap, pointer_size, version, current);
    if (w.status == 0)
        fields(&w, ev);
    return writer_end(&w, size);
}

/* Where the next n bytes go, or NULL when they do not fit (or n is 0);
 * counts them either way. */
static uint8_t *room(struct writer *w, size_t n)
{
    uint8_t *q = NULL;
    if (n > SIZE_MAX - w->off) {
        werr(w, {{schema.NAME}}_E_TOO_LARGE);
        return NULL;
    }
    if (n && w->off <= w->cap && w->cap - w->off >= n)
        q = w->buf + w->off;
    w->off += n;
    return q;
}
{{#uses.i8}}

static void wr_i8(struct writer *w, int8_t v)
{
    uint8_t *q = room(w, 1);
    if (q)
        STORE_i8(q, v);
}
{{/uses.i8}}
{{#uses.u8}}

static void wr_u8(struct writer *w, uint8_t v)
{
    uint8_t *q = room(w, 1);
    if (q)
        STORE_u8(q, v);
}
{{/uses.u8}}
{{#uses.i16}}

static void wr_i16(struct writer *w, int16_t v)
{
    uint8_t *q = room(w, 2);
    if (q)
        STORE_i16(q, v);
}
{{/uses.i16}}
{{#uses.u16}}

static void wr_u16(struct writer *w, uint16_t v)
{
    uint8_t *q = room(w, 2);
    if (q)
        STORE_u16(q, v);
}
{{/uses.u16}}
{{#uses.i32}}

static void wr_i32(struct writer *w, int32_t v)
{
    uint8_t *q = room(w, 4);
    if (q)
        STORE_i32(q, v);
}
{{/uses.i32}}
{{#uses.u32}}

static void wr_u32(struct writer *w, uint32_t v)
{
    uint8_t *q = room(w, 4);
    if (q)
        STORE_u32(q, v);
}
{{/uses.u32}}
{{#uses.i64}}

static void wr_i64(struct writer *w, int64_t v)
{
    uint8_t *q = room(w, 8);
    if (q)
        STORE_i64(q, v);
}
{{/uses.i64}}
{{#uses.u64}}

static void wr_u64(struct writer *w, uint64_t v)
{
    uint8_t *q = room(w, 8);
    if (q)
        STORE_u64(q, v);
}
{{/uses.u64}}
{{#uses.ptr}}

static void wr_ptr(struct writer *w, uint64_t v)
{
    uint8_t *q;
    if (w->psize == 4 && v > 0xFFFFFFFFu)
        werr(w, {{schema.NAME}}_E_RANGE);
    q = room(w, w->psize);
    if (q && w->psize == 8)
        STORE_u64(q, v);
    else if (q)
        STORE_u32(q, v);
}
{{/uses.ptr}}
{{#uses.bool}}

static void wr_bool(struct writer *w, int32_t v)
{
    uint8_t *q = room(w, 4);
    if (q)
        STORE_bool(q, v);
}
{{/uses.bool}}
{{#uses.f32}}

static void wr_f32(struct writer *w, float v)
{
    uint8_t *q = room(w, 4);
    if (q)
        STORE_f32(q, v);
}
{{/uses.f32}}
{{#uses.f64}}

static void wr_f64(struct writer *w, double v)
{
    uint8_t *q = room(w, 8);
    if (q)
        STORE_f64(q, v);
}
{{/uses.f64}}
{{#uses.guid}}

static void wr_guid(struct writer *w, const struct {{schema.name}}_guid *v)
{
    uint8_t *q = room(w, 16);
    if (q)
        store_guid(q, v);
}
{{/uses.guid}}
{{#uses.ustr}}

static void wr_ustr(struct writer *w, const struct {{schema.name}}_ustr *v)
{
    const uint8_t *d = v->data;
    uint8_t *q;
    size_t i;
    if (!d && v->len) {
        werr(w, {{schema.NAME}}_E_ARGUMENT);
        return;
    }
    if (v->len > SIZE_MAX / 2 - 1) {
        werr(w, {{schema.NAME}}_E_TOO_LARGE);
        return;
    }
    for (i = 0; i < v->len; i++) {
        if (d[2 * i] == 0 && d[2 * i + 1] == 0) {
            werr(w, {{schema.NAME}}_E_EMBEDDED_NUL);
            return;
        }
    }
    q = room(w, 2 * v->len + 2);
    if (q) {
        if (v->len)
            memcpy(q, d, 2 * v->len);
        q[2 * v->len] = 0;
        q[2 * v->len + 1] = 0;
    }
}
{{/uses.ustr}}
{{#uses.astr}}

static void wr_astr(struct writer *w, const struct {{schema.name}}_astr *v)
{
    uint8_t *q;
    if (!v->data && v->len) {
        werr(w, {{schema.NAME}}_E_ARGUMENT);
        return;
    }
    if (v->len && memchr(v->data, 0, v->len)) {
        werr(w, {{schema.NAME}}_E_EMBEDDED_NUL);
        return;
    }
    if (v->len == SIZE_MAX) {
        werr(w, {{schema.NAME}}_E_TOO_LARGE);
        return;
    }
    q = room(w, v->len + 1);
    if (q) {
        if (v->len)
            memcpy(q, v->data, v->len);
        q[v->len] = 0;
    }
}
{{/uses.astr}}
{{#uses.bin}}

/* A binary field must be as long as its length field (or fixed length)
 * says: the payload carries no length of its own. */
static void wr_bin(struct writer *w, const struct {{schema.name}}_bytes *v,
                   size_t len)
{
    uint8_t *q;
    if (v->len != len) {
        werr(w, {{schema.NAME}}_E_LENGTH_MISMATCH);
        return;
    }
    if (!v->data && v->len) {
        werr(w, {{schema.NAME}}_E_ARGUMENT);
        return;
    }
    q = room(w, v->len);
    if (q)
        memcpy(q, v->data, v->len);
}
{{/uses.bin}}

/* ---- JSON ---------------------------------------------------------------
 *
 * Text goes into the caller's buffer as far as it fits; len counts all of
 * it, which is what the formatters return (as snprintf does).
 */

struct json {
    char *buf;
    size_t cap;
    size_t len;
};

#define PUT_LIT(j, s) put((j), (s), sizeof(s) - 1)

static void json_start(struct json *j, char *buf, size_t cap)
{
    j->buf = buf;
    j->cap = buf ? cap : 0;
    j->len = 0;
}

static size_t json_end(struct json *j)
{
    if (j->cap)
        j->buf[j->len < j->cap ? j->len : j->cap - 1] = '\0';
    return j->len;
}

static void put(struct json *j, const char *s, size_t n)
{
    if (j->len < j->cap) {
        size_t room = j->cap - j->len;
        memcpy(j->buf + j->len, s, n < room ? n : room);
    }
    j->len += n;
}

static void put_char(struct json *j, char c)
{
    if (j->len < j->cap)
        j->buf[j->len] = c;
    j->len++;
}

static const char hex_digits[] = "0123456789abcdef";

static void put_u64(struct json *j, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[sizeof(tmp) - ++n] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(j, tmp + sizeof(tmp) - n, n);
}

/* "0x1f": pointers and hex integers. */
static void put_hex(struct json *j, uint64_t v)
{
    char tmp[19];
    size_t n = 0;
    do {
        tmp[sizeof(tmp) - ++n] = hex_digits[v & 15];
        v >>= 4;
    } while (v);
    PUT_LIT(j, "\"0x");
    put(j, tmp + sizeof(tmp) - n, n);
    put_char(j, '"');
}
{{#uses.signed}}

static void put_i64(struct json *j, int64_t v)
{
    if (v < 0) {
        put_char(j, '-');
        put_u64(j, (uint64_t)-(v + 1) + 1);
    } else {
        put_u64(j, (uint64_t)v);
    }
}
{{/uses.signed}}
{{#uses.enum}}

/* {"value": 4, "name": "NAME"}, the name null when the schema has none. */
static void put_enum(struct json *j, uint32_t v, const char *name)
{
    PUT_LIT(j, "{\"value\":");
    put_u64(j, v);
    PUT_LIT(j, ",\"name\":");
    if (name) {
        put_char(j, '"');
        put(j, name, strlen(name));
        PUT_LIT(j, "\"}");
    } else {
        PUT_LIT(j, "null}");
    }
}
{{/uses.enum}}
{{#uses.bool}}

static void put_bool(struct json *j, int32_t v)
{
    if (v)
        PUT_LIT(j, "true");
    else
        PUT_LIT(j, "false");
}
{{/uses.bool}}
{{#uses.float}}

/* The shortest of %.6g..%.9g that reads back as the same float; JSON has
 * no NaN or infinities, so those are strings. */
static void put_f32(struct json *j, float v)
{
    char tmp[32];
    size_t n;
    int prec;
    if (isnan(v)) {
        PUT_LIT(j, "\"NaN\"");
        return;
    }
    if (isinf(v)) {
        if (v > 0)
            PUT_LIT(j, "\"Infinity\"");
        else
            PUT_LIT(j, "\"-Infinity\"");
        return;
    }
    for (prec = 6; prec < 9; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, (double)v);
        if (strtof(tmp, NULL) == v)
            break;
    }
    if (prec == 9)
        snprintf(tmp, sizeof(tmp), "%.9g", (double)v);
    for (n = 0; tmp[n]; n++) /* a locale's decimal comma */
        if (tmp[n] == ',')
            tmp[n] = '.';
    put(j, tmp, n);
}
{{/uses.float}}
{{#uses.double}}

/* The shortest of %.15g..%.17g that reads back as the same double. */
static void put_f64(struct json *j, double v)
{
    char tmp[40];
    size_t n;
    int prec;
    if (isnan(v)) {
        PUT_LIT(j, "\"NaN\"");
        return;
    }
    if (isinf(v)) {
        if (v > 0)
            PUT_LIT(j, "\"Infinity\"");
        else
            PUT_LIT(j, "\"-Infinity\"");
        return;
    }
    for (prec = 15; prec < 17; prec++) {
        snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    if (prec == 17)
        snprintf(tmp, sizeof(tmp), "%.17g", v);
    for (n = 0; tmp[n]; n++) /* a locale's decimal comma */
        if (tmp[n] == ',')
            tmp[n] = '.';
    put(j, tmp, n);
}
{{/uses.double}}
{{#uses.guid}}

/* 222962ab-6180-4b88-a825-346b75f2a24a */
static void put_guid(struct json *j, const struct {{schema.name}}_guid *g)
{
    char t[38];
    size_t n = 0;
    int i;
    t[n++] = '"';
    for (i = 28; i >= 0; i -= 4)
        t[n++] = hex_digits[(g->data1 >> i) & 15];
    t[n++] = '-';
    for (i = 12; i >= 0; i -= 4)
        t[n++] = hex_digits[(g->data2 >> i) & 15];
    t[n++] = '-';
    for (i = 12; i >= 0; i -= 4)
        t[n++] = hex_digits[(g->data3 >> i) & 15];
    for (i = 0; i < 8; i++) {
        if (i == 0 || i == 2)
            t[n++] = '-';
        t[n++] = hex_digits[g->data4[i] >> 4];
        t[n++] = hex_digits[g->data4[i] & 15];
    }
    t[n++] = '"';
    put(j, t, n);
}
{{/uses.guid}}
{{#uses.binary}}

static void put_bin(struct json *j, const struct {{schema.name}}_bytes *b)
{
    size_t i;
    put_char(j, '"');
    for (i = 0; i < b->len; i++) {
        put_char(j, hex_digits[b->data[i] >> 4]);
        put_char(j, hex_digits[b->data[i] & 15]);
    }
    put_char(j, '"');
}
{{/uses.binary}}
{{#uses.string}}

/* One code point of a string, JSON-escaped, as UTF-8. */
static void put_code_point(struct json *j, uint32_t c)
{
    char t[6];
    if (c == '"' || c == '\\') {
        t[0] = '\\';
        t[1] = (char)c;
        put(j, t, 2);
    } else if (c < 0x20) {
        static const char short_escape[] = "btn\0fr";
        if (c >= 8 && c <= 13 && c != 11) {
            t[0] = '\\';
            t[1] = short_escape[c - 8];
            put(j, t, 2);
        } else {
            PUT_LIT(j, "\\u00");
            put_char(j, hex_digits[c >> 4]);
            put_char(j, hex_digits[c & 15]);
        }
    } else if (c < 0x80) {
        put_char(j, (char)c);
    } else if (c < 0x800) {
        t[0] = (char)(0xC0 | c >> 6);
        t[1] = (char)(0x80 | (c & 0x3F));
        put(j, t, 2);
    } else if (c < 0x10000) {
        t[0] = (char)(0xE0 | c >> 12);
        t[1] = (char)(0x80 | (c >> 6 & 0x3F));
        t[2] = (char)(0x80 | (c & 0x3F));
        put(j, t, 3);
    } else {
        t[0] = (char)(0xF0 | c >> 18);
        t[1] = (char)(0x80 | (c >> 12 & 0x3F));
        t[2] = (char)(0x80 | (c >> 6 & 0x3F));
        t[3] = (char)(0x80 | (c & 0x3F));
        put(j, t, 4);
    }
}
{{/uses.string}}
{{#uses.ustring}}

/* UTF-16LE to UTF-8: surrogate pairs combine, a lone surrogate becomes
 * U+FFFD. */
static void put_ustr(struct json *j, const struct {{schema.name}}_ustr *s)
{
    const uint8_t *p = s->data;
    size_t i;
    put_char(j, '"');
    for (i = 0; i < s->len; i++) {
        uint32_t c = LOAD_u16(p + 2 * i);
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s->len) {
            uint32_t d = LOAD_u16(p + 2 * i + 2);
            if (d >= 0xDC00 && d <= 0xDFFF) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            } else {
                c = 0xFFFD;
            }
        } else if (c >= 0xD800 && c <= 0xDFFF) {
            c = 0xFFFD;
        }
        put_code_point(j, c);
    }
    put_char(j, '"');
}
{{/uses.ustring}}
{{#uses.astring}}

/* 8-bit strings are taken as UTF-8; each maximal ill-formed part becomes
 * U+FFFD (the Unicode standard's "best practice", section 3.9). */
static void put_astr(struct json *j, const struct {{schema.name}}_astr *s)
{
    const uint8_t *p = (const uint8_t *)s->data;
    size_t i = 0;
    put_char(j, '"');
    while (i < s->len) {
        uint32_t c = p[i];
        size_t need, k;
        uint8_t lo = 0x80, hi = 0xBF; /* range of the second byte */
        if (c < 0x80) {
            put_code_point(j, c);
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            c &= 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
            c &= 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
            c &= 0x07;
        } else {
            put_code_point(j, 0xFFFD);
            i++;
            continue;
        }
        for (k = 1; k <= need; k++) {
            uint8_t b = i + k < s->len ? p[i + k] : 0;
            if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
                break;
            c = c << 6 | (b & 0x3F);
        }
        if (k <= need) {
            put_code_point(j, 0xFFFD);
            i += k;
        } else {
            put_code_point(j, c);
            i += need + 1;
        }
    }
    put_char(j, '"');
}
{{/uses.astring}}
{{#events}}

/* ---- {{name}} {{! }}---- */

static void read_{{lower}}(struct reader *r, void *out)
{
    struct {{schema.name}}_{{lower}} *ev = out;

{{#layouts}}
{{^first}}
    if (r->version < {{from}})
        return;
{{/first}}
{{#new_fields}}
{{>c/decode_field}}
{{/new_fields}}
{{/layouts}}
}

int {{schema.name}}_{{lower}}_decode(
    const void *data, size_t size, unsigned pointer_size, unsigned version,
    struct {{schema.name}}_{{lower}} *ev,
    struct {{schema.name}}_info *info)
{
{{#is_fixed}}
    const uint8_t *p = data;

{{/is_fixed}}
{{#is_fixed}}
    /* The usual case first: a whole payload of the current layout, its
     * fields at the offsets each pointer size gives them. */
    if (pointer_size == 8 && p &&
        size >= {{schema.NAME}}_{{NAME}}_SIZE64{{#has_old_layouts}} &&
        version >= {{#layouts}}{{#is_current}}{{from}}{{/is_current}}{{/layouts}}{{/has_old_layouts}}) {
{{#has_enum_fields}}
        unsigned unknown = 0;

{{/has_enum_fields}}
{{#fields}}
{{>c/load64}}
{{/fields}}
        return decoded(info, 8, version,
                       {{schema.NAME}}_{{NAME}}_VERSION, size,
                       {{schema.NAME}}_{{NAME}}_SIZE64, {{#has_enum_fields}}unknown{{/has_enum_fields}}{{^has_enum_fields}}0{{/has_enum_fields}});
    }
    if (pointer_size == 4 && p &&
        size >= {{schema.NAME}}_{{NAME}}_SIZE32{{#has_old_layouts}} &&
        version >= {{#layouts}}{{#is_current}}{{from}}{{/is_current}}{{/layouts}}{{/has_old_layouts}}) {
{{#has_enum_fields}}
        unsigned unknown = 0;

{{/has_enum_fields}}
{{#fields}}
{{>c/load32}}
{{/fields}}
        return decoded(info, 4, version,
                       {{schema.NAME}}_{{NAME}}_VERSION, size,
                       {{schema.NAME}}_{{NAME}}_SIZE32, {{#has_enum_fields}}unknown{{/has_enum_fields}}{{^has_enum_fields}}0{{/has_enum_fields}});
    }

    /* Anything else: field by field, every read checked. */
{{/is_fixed}}
    return decode_checked(read_{{lower}}, ev, sizeof(*ev),
                          data, size, pointer_size, version,
                          {{schema.NAME}}_{{NAME}}_VERSION, info);
}

static void write_{{lower}}(struct writer *w, const void *in)
{
    const struct {{schema.name}}_{{lower}} *ev = in;

{{#layouts}}
{{^first}}
    if (w->version < {{from}})
        return;
{{/first}}
{{#new_fields}}
{{>c/encode_field}}
{{/new_fields}}
{{/layouts}}
}
{{#is_fixed}}
{{#has_pointer_sized}}

/* Whether the pointer-sized fields fit in 4 bytes. */
static int fits32_{{lower}}(
    const struct {{schema.name}}_{{lower}} *ev)
{
    uint64_t all = 0;

{{#fields}}
{{#is_pointer_sized}}
    all |= ev->{{name}};
{{/is_pointer_sized}}
{{/fields}}
    return all >> 32 == 0;
}
{{/has_pointer_sized}}
{{#has_binary}}

/* Whether the binary fields have their fixed lengths. */
static int binary_ok_{{lower}}(
    const struct {{schema.name}}_{{lower}} *ev)
{
{{#fields}}
{{#is_binary}}
    if (ev->{{name}}.len != {{length_const}} || !ev->{{name}}.data)
        return 0;
{{/is_binary}}
{{/fields}}
    return 1;
}
{{/has_binary}}
{{/is_fixed}}

int {{schema.name}}_{{lower}}_encode_version(
    const struct {{schema.name}}_{{lower}} *ev, unsigned pointer_size,
    unsigned version, void *buf, size_t cap, size_t *size)
{
{{#is_fixed}}
    uint8_t *q = buf;

{{/is_fixed}}
{{#is_fixed}}
    /* The usual case first: the current layout into a buffer that holds
     * it, at the offsets each pointer size gives the fields; the general
     * path below reports what this one does not take. */
    if (pointer_size == 8 && q &&
        cap >= {{schema.NAME}}_{{NAME}}_SIZE64 &&
        version <= {{schema.NAME}}_{{NAME}}_VERSION{{#has_old_layouts}} && version >= {{#layouts}}{{#is_current}}{{from}}{{/is_current}}{{/layouts}}{{/has_old_layouts}}{{#has_binary}} &&
        binary_ok_{{lower}}(ev){{/has_binary}}) {
{{#fields}}
{{>c/store64}}
{{/fields}}
        if (size)
            *size = {{schema.NAME}}_{{NAME}}_SIZE64;
        return {{schema.NAME}}_OK;
    }
    if (pointer_size == 4 && q &&
        cap >= {{schema.NAME}}_{{NAME}}_SIZE32 &&
        version <= {{schema.NAME}}_{{NAME}}_VERSION{{#has_old_layouts}} && version >= {{#layouts}}{{#is_current}}{{from}}{{/is_current}}{{/layouts}}{{/has_old_layouts}}{{#has_pointer_sized}} &&
        fits32_{{lower}}(ev){{/has_pointer_sized}}{{#has_binary}} &&
        binary_ok_{{lower}}(ev){{/has_binary}}) {
{{#fields}}
{{>c/store32}}
{{/fields}}
        if (size)
            *size = {{schema.NAME}}_{{NAME}}_SIZE32;
        return {{schema.NAME}}_OK;
    }

    /* Anything else: field by field, every value checked. */
{{/is_fixed}}
    return encode_checked(write_{{lower}}, ev, buf, cap,
                          pointer_size, version,
                          {{schema.NAME}}_{{NAME}}_VERSION, size);
}

int {{schema.name}}_{{lower}}_encode(
    const struct {{schema.name}}_{{lower}} *ev, unsigned pointer_size,
    void *buf, size_t cap, size_t *size)
{
    return {{schema.name}}_{{lower}}_encode_version(
        ev, pointer_size, {{schema.NAME}}_{{NAME}}_VERSION, buf, cap,
        size);
}

static void json_{{lower}}(
    struct json *j, const struct {{schema.name}}_{{lower}} *ev,
    unsigned version)
{
{{^has_old_layouts}}
    (void)version; /* every version has the same fields */
{{/has_old_layouts}}
    put_char(j, '{');
{{#layouts}}
{{^first}}
    if (version < {{from}}) {
        put_char(j, '}');
        return;
    }
{{/first}}
{{#new_fields}}
{{>c/json_field}}
{{/new_fields}}
{{/layouts}}
    put_char(j, '}');
}

size_t {{schema.name}}_{{lower}}_json(
    const struct {{schema.name}}_{{lower}} *ev, unsigned version,
    char *buf, size_t cap)
{
    struct json j;

    json_start(&j, buf, cap);
    json_{{lower}}(&j, ev, version);
    return json_end(&j);
}
{{/events}}

/* ---- Any event --------------------------------------------------------- */

const struct {{schema.name}}_descriptor
    {{schema.name}}_descriptors[{{schema.NAME}}_KIND_COUNT] = {
    {"?", 0, 0, 0, 0, 0, 0, 0, 0, 0},
    /* name, id, version, level, task, opcode, has_opcode, is_fixed,
     * size32, size64 */
{{#events}}
    {"{{name}}", {{id}}, {{version}}, {{level.value}}, {{#has_task}}{{task.value}}{{/has_task}}{{^has_task}}0{{/has_task}}, {{#has_opcode}}{{opcode.value}}, 1{{/has_opcode}}{{^has_opcode}}0, 0{{/has_opcode}}, {{#is_fixed}}1{{/is_fixed}}{{^is_fixed}}0{{/is_fixed}}, {{size32}}, {{size64}}},
{{/events}}
};

enum {{schema.name}}_kind {{schema.name}}_kind_by_id(unsigned id)
{
    int k;
    for (k = 1; k < {{schema.NAME}}_KIND_COUNT; k++)
        if ({{schema.name}}_descriptors[k].id == id)
            return (enum {{schema.name}}_kind)k;
    return {{schema.NAME}}_KIND_NONE;
}

enum {{schema.name}}_kind {{schema.name}}_kind_by_opcode(
    unsigned opcode, int *ambiguous)
{
    enum {{schema.name}}_kind found = {{schema.NAME}}_KIND_NONE;
    int k, n = 0;
    for (k = 1; k < {{schema.NAME}}_KIND_COUNT; k++) {
        const struct {{schema.name}}_descriptor *d;

        d = &{{schema.name}}_descriptors[k];
        if (d->has_opcode && d->opcode == opcode && n++ == 0)
            found = (enum {{schema.name}}_kind)k;
    }
    if (ambiguous)
        *ambiguous = n > 1;
    return n > 1 ? {{schema.NAME}}_KIND_NONE : found;
}

int {{schema.name}}_decode(
    enum {{schema.name}}_kind kind, const void *data, size_t size,
    unsigned pointer_size, unsigned version, struct {{schema.name}}_event *out)
{
    memset(&out->info, 0, sizeof(out->info));
    out->kind = kind;
    switch (kind) {
{{#events}}
    case {{schema.NAME}}_KIND_{{NAME}}:
        return {{schema.name}}_{{lower}}_decode(
            data, size, pointer_size, version, &out->u.{{lower}},
            &out->info);
{{/events}}
    default:
        out->kind = {{schema.NAME}}_KIND_NONE;
        return {{schema.NAME}}_E_UNKNOWN_EVENT;
    }
}

int {{schema.name}}_decode_by_id(
    unsigned id, const void *data, size_t size, unsigned pointer_size,
    unsigned version, struct {{schema.name}}_event *out)
{
    return {{schema.name}}_decode({{schema.name}}_kind_by_id(id), data, size,
        pointer_size, version, out);
}

int {{schema.name}}_decode_by_opcode(
    unsigned opcode, const void *data, size_t size, unsigned pointer_size,
    unsigned version, struct {{schema.name}}_event *out)
{
    int ambiguous;
    enum {{schema.name}}_kind kind;

    kind = {{schema.name}}_kind_by_opcode(opcode, &ambiguous);
    if (ambiguous) {
        memset(&out->info, 0, sizeof(out->info));
        out->kind = {{schema.NAME}}_KIND_NONE;
        return {{schema.NAME}}_E_AMBIGUOUS;
    }
    return {{schema.name}}_decode(kind, data, size, pointer_size, version, out);
}

size_t {{schema.name}}_event_json(
    const struct {{schema.name}}_event *ev, char *buf, size_t cap)
{
    const struct {{schema.name}}_descriptor *d;
    unsigned v = ev->info.decoded;
    struct json j;

    json_start(&j, buf, cap);
    if (ev->kind <= {{schema.NAME}}_KIND_NONE ||
        ev->kind >= {{schema.NAME}}_KIND_COUNT) {
        PUT_LIT(&j, "null");
        return json_end(&j);
    }
    d = &{{schema.name}}_descriptors[ev->kind];
    PUT_LIT(&j, "{\"event\":\"");
    put(&j, d->name, strlen(d->name));
    PUT_LIT(&j, "\",\"id\":");
    put_u64(&j, d->id);
    if (d->has_opcode) {
        PUT_LIT(&j, ",\"opcode\":");
        put_u64(&j, d->opcode);
    }
    PUT_LIT(&j, ",\"version\":");
    put_u64(&j, ev->info.version);
    PUT_LIT(&j, ",\"decoded_version\":");
    put_u64(&j, ev->info.decoded);
    PUT_LIT(&j, ",\"pointer_size\":");
    put_u64(&j, ev->info.pointer_size);
    PUT_LIT(&j, ",\"fields\":");
    switch (ev->kind) {
{{#events}}
    case {{schema.NAME}}_KIND_{{NAME}}:
        json_{{lower}}(&j, &ev->u.{{lower}}, v);
        break;
{{/events}}
    default:
        break;
    }
    PUT_LIT(&j, ",\"trailing_bytes\":");
    put_u64(&j, ev->info.trailing);
    PUT_LIT(&j, ",\"unknown_enums\":");
    put_u64(&j, ev->info.unknown_enums);
    put_char(&j, '}');
    return json_end(&j);
}
%%partial c/codec.h
/*
 * {{schema.name}}.h - encoders and decoders of the {{provider.name}}
 * events' payloads, generated by evgen {{evgen.version}} from {{schema.file}}.
 * Do not edit: change the schema or templates/c/ and regenerate.
 *
 * Plain C99, no dependency beyond the C library.  A payload is what an ETW
 * consumer receives as UserData: the fields packed in order, little-endian,
 * without padding.  Pointer and size fields are P bytes wide, P being the
 * pointer size of the process that logged the event (4 or 8), so every
 * function takes it.  Decoding also takes the event's version: a field
 * added in version N is only in payloads of version N or later.
 *
 * Per event EV (lower-case name):
 *   struct {{schema.name}}_EV      the fields, in types wide enough for
 *                                   both pointer sizes
 *   {{schema.name}}_EV_encode()    writes the current version's payload
 *   {{schema.name}}_EV_encode_version()   ...or an older version's
 *   {{schema.name}}_EV_decode()    reads a payload, every bound checked
 *   {{schema.name}}_EV_json()      formats decoded fields as JSON
 * and for any event of the provider {{schema.name}}_decode() into the
 * tagged union struct {{schema.name}}_event, {{schema.name}}_event_json().
 *
 * Conventions: functions returning int return {{schema.NAME}}_OK (0) or
 * a {{schema.NAME}}_E_* status, which {{schema.name}}_strerror() names.
 * Nothing here allocates.  Decoded strings and binary fields point into the
 * payload, which must outlive them.  JSON functions work like snprintf:
 * they return the length of the whole text and write as much of it as fits,
 * NUL-terminated, into the caller's buffer.
 */
#ifndef {{schema.NAME}}_H
#define {{schema.NAME}}_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Status codes ------------------------------------------------------ */

enum {{schema.name}}_status {
    {{schema.NAME}}_OK = 0,
    /* Decoding */
    {{schema.NAME}}_E_TOO_SHORT,        /* payload ends inside a field */
    {{schema.NAME}}_E_NO_TERMINATOR,    /* string without NUL in the payload */
    {{schema.NAME}}_E_LENGTH_PAST_END,  /* length field points past the end */
    /* Both */
    {{schema.NAME}}_E_POINTER_SIZE,     /* pointer size is not 4 or 8 */
    {{schema.NAME}}_E_ARGUMENT,         /* NULL where data is needed */
    /* Encoding */
    {{schema.NAME}}_E_BUFFER_TOO_SMALL, /* *size says how much is needed */
    {{schema.NAME}}_E_RANGE,            /* value does not fit in P bytes */
    {{schema.NAME}}_E_LENGTH_MISMATCH,  /* binary length != its length */
    {{schema.NAME}}_E_EMBEDDED_NUL,     /* string contains a NUL */
    {{schema.NAME}}_E_TOO_LARGE,        /* payload size overflows size_t */
    {{schema.NAME}}_E_VERSION,          /* version newer than the schema's */
    /* Dispatch */
    {{schema.NAME}}_E_UNKNOWN_EVENT,    /* no event with this id or opcode */
    {{schema.NAME}}_E_AMBIGUOUS         /* several events have this opcode */
};

/* A short English description of a status ("payload too short"); never
 * NULL, static storage. */
const char *{{schema.name}}_strerror(int status);

/* ---- Field types ------------------------------------------------------- */

/* A GUID as Windows lays it out: data1..data3 little-endian on the wire. */
struct {{schema.name}}_guid {
    uint32_t data1;
    uint16_t data2;
    uint16_t data3;
    uint8_t data4[8];
};

/* A UTF-16LE string: len code units (2 * len bytes) at data, without the
 * terminator.  data may be unaligned; on a little-endian host a wchar_t
 * or uint16_t array can be passed as it is. */
struct {{schema.name}}_ustr {
    const void *data;
    size_t len;
};

/* An 8-bit string: len bytes at data, without the terminator. */
struct {{schema.name}}_astr {
    const char *data;
    size_t len;
};

/* Bytes of a binary field. */
struct {{schema.name}}_bytes {
    const uint8_t *data;
    size_t len;
};

/* What a decoder found besides the fields. */
struct {{schema.name}}_info {
    unsigned pointer_size;  /* 4 or 8, as given */
    unsigned version;       /* the version asked for */
    unsigned decoded;       /* the layout decoded: the version asked for, or
                               the schema's when that is newer */
    size_t size;            /* bytes decoded */
    size_t trailing;        /* bytes after them, not understood: a newer
                               version's fields, or garbage */
    unsigned unknown_enums; /* enum fields holding a value the schema does
                               not name */
    /* When decoding fails: the field being read and where it starts. */
    const char *field;
    size_t offset;
};

/* ---- Provider ---------------------------------------------------------- */

#define {{schema.NAME}}_PROVIDER_NAME "{{provider.name}}"
#define {{schema.NAME}}_PROVIDER_GUID_INIT \
    {{{provider.guid_c}}}
/* {{provider.guid}} */
extern const struct {{schema.name}}_guid {{schema.name}}_provider_guid;
{{#has_enums}}

/* ---- Enums ------------------------------------------------------------- */
{{#enums}}

/* {{name}}{{#has_description}}: {{description}}{{/has_description}} */
{{#values}}
#define {{schema.NAME}}_{{name}} {{value}}u
{{/values}}

/* The name of a value ("{{#values}}{{#first}}{{name}}{{/first}}{{/values}}" for {{#values}}{{#first}}{{value}}{{/first}}{{/values}}), or NULL when the schema
 * names none; is_known() says whether it does (1) or not (0). */
const char *{{schema.name}}_{{lower}}_name(uint32_t value);
int {{schema.name}}_{{lower}}_is_known(uint32_t value);
{{/enums}}
{{/has_enums}}

/* ---- Events -------------------------------------------------------------
 *
 * encode() writes the payload of the event's current version, and
 * encode_version() that of any version up to it, into buf[0..cap).  Both
 * set *size to the payload's size and return OK; when cap is too small
 * they return E_BUFFER_TOO_SMALL with *size the size needed (so cap 0
 * asks for the size).  They refuse what the payload cannot carry: a
 * pointer or size above 0xFFFFFFFF with 4-byte pointers (E_RANGE), a
 * binary field whose length is not its length field's value or its fixed
 * length (E_LENGTH_MISMATCH), a string with a NUL in it (E_EMBEDDED_NUL).
 * On an error buf may hold part of the payload.
 *
 * decode() reads the payload of the given version.  A version older than
 * the schema's has fewer fields (those added later are left zero); a newer
 * one is decoded as the schema's, and what follows is counted in
 * info->trailing like any bytes after the layout.  Every read is bounds-
 * checked: a payload too short for its fields is E_TOO_SHORT, a string not
 * terminated inside it E_NO_TERMINATOR, a length field pointing past its
 * end E_LENGTH_PAST_END; info->field and info->offset say where.  Enum
 * values the schema does not name are decoded and counted in
 * info->unknown_enums.  info may be NULL.
 *
 * json() formats the fields of the given (decoded) version as one JSON
 * object: {"Name": value, ...} in schema order.  Pointers and hex integers
 * are "0x..." strings, other integers and FILETIMEs numbers, enums
 * {"value": N, "name": "NAME" or null}, GUIDs "xxxxxxxx-xxxx-...", binary
 * fields hex strings, floats the shortest text that reads back the same
 * ("NaN", "Infinity" and "-Infinity" as strings), bools true or false, and
 * strings UTF-8 with invalid sequences replaced by U+FFFD.
 */
{{#events}}

/*
 * {{name}}{{#has_description}}
 * {{description}}{{/has_description}}
 */
#define {{schema.NAME}}_{{NAME}}_ID {{id}}
#define {{schema.NAME}}_{{NAME}}_VERSION {{version}}
{{#has_opcode}}
#define {{schema.NAME}}_{{NAME}}_OPCODE {{opcode.value}}
{{/has_opcode}}
{{#has_task}}
#define {{schema.NAME}}_{{NAME}}_TASK {{task.value}}
{{/has_task}}
#define {{schema.NAME}}_{{NAME}}_LEVEL {{level.value}}
{{#is_fixed}}
/* The payload's size with 4- and 8-byte pointers. */
#define {{schema.NAME}}_{{NAME}}_SIZE32 {{size32}}
#define {{schema.NAME}}_{{NAME}}_SIZE64 {{size64}}
{{/is_fixed}}
{{^is_fixed}}
/* The smallest payload with 4- and 8-byte pointers (empty strings and
 * binary fields); there is no largest. */
#define {{schema.NAME}}_{{NAME}}_MIN_SIZE32 {{size32}}
#define {{schema.NAME}}_{{NAME}}_MIN_SIZE64 {{size64}}
{{/is_fixed}}
{{#has_old_layouts}}
/* The same for each version's layout{{^is_fixed}} (smallest){{/is_fixed}}. */
{{#layouts}}
#define {{schema.NAME}}_{{NAME}}_V{{version}}_{{^is_fixed}}MIN_{{/is_fixed}}SIZE32 {{min32}}
#define {{schema.NAME}}_{{NAME}}_V{{version}}_{{^is_fixed}}MIN_{{/is_fixed}}SIZE64 {{min64}}
{{/layouts}}
{{/has_old_layouts}}

struct {{schema.name}}_{{lower}} {
{{#layouts}}
{{^first}}
    /* Version {{from}} and later */
{{/first}}
{{#new_fields}}
{{>c/member}}
{{/new_fields}}
{{/layouts}}
};

int {{schema.name}}_{{lower}}_encode(
    const struct {{schema.name}}_{{lower}} *ev, unsigned pointer_size,
    void *buf, size_t cap, size_t *size);
int {{schema.name}}_{{lower}}_encode_version(
    const struct {{schema.name}}_{{lower}} *ev, unsigned pointer_size,
    unsigned version, void *buf, size_t cap, size_t *size);
int {{schema.name}}_{{lower}}_decode(
    const void *data, size_t size, unsigned pointer_size, unsigned version,
    struct {{schema.name}}_{{lower}} *ev,
    struct {{schema.name}}_info *info);
size_t {{schema.name}}_{{lower}}_json(
    const struct {{schema.name}}_{{lower}} *ev, unsigned version,
    char *buf, size_t cap);
{{/events}}

/* ---- Any event ----------------------------------------------------------
 *
 * The events of the provider, for decoding what a trace holds: find the
 * kind by id (manifest events) or opcode (classic events, whose MOF event
 * type is the opcode), then decode into the tagged union.
 */

enum {{schema.name}}_kind {
    {{schema.NAME}}_KIND_NONE = 0,
{{#events}}
    {{schema.NAME}}_KIND_{{NAME}},
{{/events}}
    {{schema.NAME}}_KIND_COUNT
};

struct {{schema.name}}_descriptor {
    const char *name;
    uint16_t id;
    uint8_t version;
    uint8_t level;
    uint16_t task;      /* 0: none */
    uint8_t opcode;
    uint8_t has_opcode;
    uint8_t is_fixed;   /* 1: the size never varies (with P) */
    uint32_t size32;    /* the payload's size, or its smallest */
    uint32_t size64;
};

/* Indexed by kind; [0] describes no event (name "?"). */
extern const struct {{schema.name}}_descriptor
    {{schema.name}}_descriptors[{{schema.NAME}}_KIND_COUNT];

struct {{schema.name}}_event {
    enum {{schema.name}}_kind kind;
    struct {{schema.name}}_info info;
    union {
{{#events}}
        struct {{schema.name}}_{{lower}} {{lower}};
{{/events}}
    } u;
};

/* The kind of the event with this id, or KIND_NONE. */
enum {{schema.name}}_kind {{schema.name}}_kind_by_id(unsigned id);
/* The kind of the event with this opcode; KIND_NONE when none has it, and
 * *ambiguous (may be NULL) set to 1 when several have it. */
enum {{schema.name}}_kind {{schema.name}}_kind_by_opcode(
    unsigned opcode, int *ambiguous);

/* Decode a payload of the given kind into out (out->kind and out->info are
 * always set; the fields only on success).  E_UNKNOWN_EVENT for a kind out
 * of range. */
int {{schema.name}}_decode(
    enum {{schema.name}}_kind kind, const void *data, size_t size,
    unsigned pointer_size, unsigned version, struct {{schema.name}}_event *out);
/* The same, finding the kind by id or opcode (E_UNKNOWN_EVENT,
 * E_AMBIGUOUS). */
int {{schema.name}}_decode_by_id(
    unsigned id, const void *data, size_t size, unsigned pointer_size,
    unsigned version, struct {{schema.name}}_event *out);
int {{schema.name}}_decode_by_opcode(
    unsigned opcode, const void *data, size_t size, unsigned pointer_size,
    unsigned version, struct {{schema.name}}_event *out);

/* A decoded event as one JSON object:
 *   {"event": "NAME", "id": N, "opcode": N, "version": N,
 *    "decoded_version": N, "pointer_size": P, "fields": {...},
 *    "trailing_bytes": N, "unknown_enums": N}
 * ("opcode" only for events that have one).  snprintf-like, as above. */
size_t {{schema.name}}_event_json(
    const struct {{schema.name}}_event *ev, char *buf, size_t cap);

#ifdef __cplusplus
}
#endif

#endif /* {{schema.NAME}}_H */
%%partial c/decode_field
{{#is_binary}}
{{#has_length_field}}
    rd_bin(r, &ev->{{name}}, ev->{{length_field}}, {{schema.NAME}}_E_LENGTH_PAST_END,
           "{{name}}");
{{/has_length_field}}
{{#has_length_const}}
    rd_bin(r, &ev->{{name}}, {{length_const}}, {{schema.NAME}}_E_TOO_SHORT, "{{name}}");
{{/has_length_const}}
{{/is_binary}}
{{^is_binary}}
    rd_{{codec}}(r, &ev->{{name}}, "{{name}}");
{{/is_binary}}
{{#has_enum}}
    if (!{{schema.name}}_{{enum.lower}}_is_known(ev->{{name}}))
        r->unknown_enums++;
{{/has_enum}}
%%partial c/decode_main.c
/*
 * {{schema.name}}_decode.c - the {{schema.name}}-decode tool: prints
 * {{provider.name}} event payloads as JSON.  Generated by evgen
 * {{evgen.version}} from {{schema.file}}; do not edit.
 *
 *   {{schema.name}}-decode --pointer-size 4|8 --opcode N [--version V] HEX
 *   {{schema.name}}-decode --pointer-size 4|8 --id N [--version V] HEX
 *       decodes one payload (HEX: two hex digits a byte, "" when empty)
 *       and prints it as one JSON object
 *   {{schema.name}}-decode --stdin [--by-id] [--version V]
 *       reads lines "OPCODE POINTER-SIZE HEX" (or "ID ..." with --by-id; a
 *       line "OPCODE POINTER-SIZE VERSION HEX" gives its own version) and
 *       writes one JSON line each; a line that does not decode gives
 *       {"error": "...", "line": N, ...} and the next line is read
 *
 * The version defaults to the event's version in the schema.  Exit status:
 * 0 when everything decoded, 1 when something did not, 2 on a usage error.
 */
#include "{{schema.name}}.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROG "{{schema.name}}-decode"

static void usage(FILE *f)
{
    fputs("usage: " PROG " --pointer-size 4|8 (--opcode N | --id N)"
          " [--version V] HEX\n"
          "       " PROG " --stdin [--by-id] [--version V]"
          "  (lines: OPCODE POINTER-SIZE [VERSION] HEX)\n",
          f);
}

/* A growable byte buffer; exits when memory runs out. */
struct buf {
    char *p;
    size_t len, cap;
};

static void reserve(struct buf *b, size_t n)
{
    if (n <= b->cap)
        return;
    while (b->cap < n)
        b->cap = b->cap ? b->cap * 2 : 4096;
    b->p = realloc(b->p, b->cap);
    if (!b->p) {
        fputs(PROG ": out of memory\n", stderr);
        exit(2);
    }
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex digits s[0..n) into out; NULL, or what is wrong with them. */
static const char *unhex(const char *s, size_t n, struct buf *out)
{
    size_t i;
    if (n % 2)
        return "odd number of hex digits";
    reserve(out, n / 2 + 1);
    for (i = 0; i < n; i += 2) {
        int hi = hex_value((unsigned char)s[i]);
        int lo = hex_value((unsigned char)s[i + 1]);
        if (hi < 0 || lo < 0)
            return "not a hex digit";
        out->p[i / 2] = (char)(hi << 4 | lo);
    }
    out->len = n / 2;
    return NULL;
}

/* An unsigned number (decimal, or hex after 0x); 0 when s is one. */
static int number(const char *s, size_t n, unsigned long max,
                  unsigned long *v)
{
    char tmp[24], *end;
    if (n == 0 || n >= sizeof(tmp) || s[0] == '-' || s[0] == '+')
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    *v = strtoul(tmp, &end, 0);
    return *end || *v > max ? -1 : 0;
}

struct request {
    int by_id;              /* the number is an id, not an opcode */
    unsigned long event;    /* id or opcode */
    unsigned long psize;
    int has_version;
    unsigned long version;
};

/* Decode one payload; the status. */
static int decode(const struct request *q, const struct buf *payload,
                  struct {{schema.name}}_event *ev)
{
    enum {{schema.name}}_kind kind;
    int ambiguous = 0;
    unsigned version;

    if (q->by_id)
        kind = {{schema.name}}_kind_by_id((unsigned)q->event);
    else
        kind = {{schema.name}}_kind_by_opcode((unsigned)q->event, &ambiguous);
    if (ambiguous)
        return {{schema.NAME}}_E_AMBIGUOUS;
    version = q->has_version ? (unsigned)q->version
                             : {{schema.name}}_descriptors[kind].version;
    return {{schema.name}}_decode(kind, payload->p, payload->len,
                           (unsigned)q->psize, version, ev);
}

/* The event as JSON into out (NUL-terminated). */
static void to_json(const struct {{schema.name}}_event *ev, struct buf *out)
{
    size_t n = {{schema.name}}_event_json(ev, out->p, out->cap);
    if (n >= out->cap) {
        reserve(out, n + 1);
        {{schema.name}}_event_json(ev, out->p, out->cap);
    }
    out->len = n;
}

/* The lines of stdin, read in large blocks: p[start..len) is unread. */
struct lines {
    struct buf b;
    size_t start;
    int eof;
};

/* The next line, without its newline, in *s and *n; 0 at the end. */
static int next_line(struct lines *in, const char **s, size_t *n)
{
    for (;;) {
        size_t left = in->b.len - in->start, got;
        char *nl = left ? memchr(in->b.p + in->start, '\n', left) : NULL;
        if (nl || (in->eof && left)) {
            *s = in->b.p + in->start;
            *n = nl ? (size_t)(nl - *s) : left;
            in->start += *n + (nl != NULL);
            return 1;
        }
        if (in->eof)
            return 0;
        /* Keep the partial line, at the front, and read more. */
        if (left)
            memmove(in->b.p, in->b.p + in->start, left);
        in->b.len = left;
        in->start = 0;
        reserve(&in->b, left + (1 << 16));
        got = fread(in->b.p + left, 1, in->b.cap - left, stdin);
        in->b.len += got;
        in->eof = got == 0;
    }
}

static int run_stdin(struct request q)
{
    struct lines in = {{=<% %>=}}{{NULL, 0, 0}, 0, 0}<%={{ }}=%>;
    struct buf payload = {NULL, 0, 0}, json = {NULL, 0, 0};
    struct {{schema.name}}_event ev;
    unsigned long lineno = 0;
    const char *s;
    size_t n;
    int failed = 0;

    reserve(&payload, 4096);
    reserve(&json, 4096);
    while (next_line(&in, &s, &n)) {
        const char *tok[5], *err = NULL;
        size_t len[5], ntok = 0, i = 0;
        int st = {{schema.NAME}}_OK;

        lineno++;
        if (n && s[n - 1] == '\r')
            n--;
        while (i < n && ntok < 5) {
            while (i < n && (s[i] == ' ' || s[i] == '\t'))
                i++;
            if (i == n)
                break;
            tok[ntok] = s + i;
            while (i < n && s[i] != ' ' && s[i] != '\t')
                i++;
            len[ntok] = (size_t)(s + i - tok[ntok]);
            ntok++;
        }
        if (ntok == 0)
            continue; /* a blank line */
        q.has_version = ntok == 4;
        if (ntok < 2 || ntok > 4)
            err = "expected OPCODE POINTER-SIZE [VERSION] HEX";
        else if (number(tok[0], len[0], 0xFFFF, &q.event))
            err = q.by_id ? "bad id" : "bad opcode";
        else if (number(tok[1], len[1], 0xFF, &q.psize))
            err = "bad pointer size";
        else if (ntok == 4 && number(tok[2], len[2], 0xFF, &q.version))
            err = "bad version";
        else if (ntok == 2)
            payload.len = 0;
        else
            err = unhex(tok[ntok - 1], len[ntok - 1], &payload);
        if (!err) {
            st = decode(&q, &payload, &ev);
            if (st)
                err = {{schema.name}}_strerror(st);
        }
        if (err) {
            failed = 1;
            printf("{\"error\":\"%s\",\"line\":%lu", err, lineno);
            if (st && ev.info.field)
                printf(",\"field\":\"%s\",\"offset\":%lu", ev.info.field,
                       (unsigned long)ev.info.offset);
            fputs("}\n", stdout);
            continue;
        }
        to_json(&ev, &json);
        json.p[json.len] = '\n';
        fwrite(json.p, 1, json.len + 1, stdout);
    }
    free(in.b.p);
    free(payload.p);
    free(json.p);
    if (fflush(stdout) != 0 || ferror(stdin)) {
        fputs(PROG ": read or write error\n", stderr);
        return 1;
    }
    return failed;
}

int main(int argc, char **argv)
{
    static char out_buf[1 << 16];
    struct request q = {0, 0, 0, 0, 0};
    const char *hex = NULL;
    int have_event = 0, have_psize = 0, use_stdin = 0, i;

    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long *dst = NULL, max = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--stdin")) {
            use_stdin = 1;
        } else if (!strcmp(a, "--by-id")) {
            q.by_id = 1;
        } else if (!strcmp(a, "--opcode") || !strcmp(a, "--id")) {
            q.by_id = !strcmp(a, "--id");
            dst = &q.event;
            max = 0xFFFF;
            have_event = 1;
        } else if (!strcmp(a, "--pointer-size")) {
            dst = &q.psize;
            max = 8;
            have_psize = 1;
        } else if (!strcmp(a, "--version")) {
            dst = &q.version;
            max = 0xFF;
            q.has_version = 1;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, PROG ": unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        } else if (!hex) {
            hex = a;
        } else {
            fprintf(stderr, PROG ": more than one HEX argument\n");
            usage(stderr);
            return 2;
        }
        if (dst) {
            if (!v || number(v, strlen(v), max, dst)) {
                fprintf(stderr, PROG ": %s needs a number up to %lu\n", a,
                        max);
                return 2;
            }
            i++;
        }
    }
    setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
    if (use_stdin) {
        if (have_event || have_psize || hex) {
            fputs(PROG ": with --stdin, events come from the lines\n", stderr);
            usage(stderr);
            return 2;
        }
        return run_stdin(q);
    }
    if (!have_event || !have_psize || !hex) {
        usage(stderr);
        return 2;
    }
    if (q.psize != 4 && q.psize != 8) {
        fputs(PROG ": --pointer-size is 4 or 8\n", stderr);
        return 2;
    }
    {
        struct buf payload = {NULL, 0, 0}, json = {NULL, 0, 0};
        struct {{schema.name}}_event ev;
        const char *err = unhex(hex, strlen(hex), &payload);
        int st;

        if (err) {
            fprintf(stderr, PROG ": HEX: %s\n", err);
            free(payload.p);
            return 1;
        }
        st = decode(&q, &payload, &ev);
        if (st) {
            fprintf(stderr, PROG ": %s", {{schema.name}}_strerror(st));
            if (ev.info.field)
                fprintf(stderr, " (field %s at offset %lu; the payload has "
                        "%lu bytes)", ev.info.field,
                        (unsigned long)ev.info.offset,
                        (unsigned long)payload.len);
            fputc('\n', stderr);
            free(payload.p);
            return 1;
        }
        reserve(&json, 4096);
        to_json(&ev, &json);
        json.p[json.len] = '\n';
        fwrite(json.p, 1, json.len + 1, stdout);
        free(payload.p);
        free(json.p);
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
%%partial c/encode_field
{{#is_binary}}
{{#has_length_field}}
    wr_bin(w, &ev->{{name}}, ev->{{length_field}});
{{/has_length_field}}
{{#has_length_const}}
    wr_bin(w, &ev->{{name}}, {{length_const}});
{{/has_length_const}}
{{/is_binary}}
{{^is_binary}}
    wr_{{codec}}(w, {{#is_string}}&{{/is_string}}{{#is_guid}}&{{/is_guid}}ev->{{name}});
{{/is_binary}}
%%partial c/etw.h
/*
 * {{schema.name}}_etw.h - writes the {{provider.name}} events through
 * ETW on Windows, in the way of the header `mc.exe -um` makes; generated
 * by evgen {{evgen.version}} from {{schema.file}}.  Do not edit.
 *
 *   EventRegister{{provider.symbol}}()     call once before writing
 *   EventUnregister{{provider.symbol}}()   ...and once when done
 *   EventEnabled<EVENT>()       whether a session listens for the event
 *   EventWrite<EVENT>(fields)   writes it; returns a Win32 error code
 *
 * The fields are passed in schema order.  Pointers and sizes go out at the
 * writing process's own pointer size, as decoders expect; strings with
 * their terminator (a NULL string is written as "NULL", as mc.exe does);
 * binary fields as many bytes as their length field or fixed length says.
 * Link with advapi32.
 */
#ifndef {{schema.NAME}}_ETW_H
#define {{schema.NAME}}_ETW_H

#include <windows.h>
#include <evntprov.h>
{{#uses.string}}
#include <string.h>
#include <wchar.h>
{{/uses.string}}

#ifdef __cplusplus
extern "C" {
#endif

/* {{provider.guid}}: {{provider.name}} */
__declspec(selectany) const GUID {{provider.symbol}} =
    {{{provider.guid_c}}};

/* The registration handle EventRegister{{provider.symbol}}() sets. */
__declspec(selectany) REGHANDLE {{provider.symbol}}Handle = (REGHANDLE)0;

/* Id, Version, Channel, Level, Opcode, Task, Keyword */
{{#events}}
__declspec(selectany) const EVENT_DESCRIPTOR {{name}} =
    {{=<% %>=}}{<%id%>, <%version%>, 0, <%level.value%>, <%#has_opcode%><%opcode.value%><%/has_opcode%><%^has_opcode%>0<%/has_opcode%>, <%#has_task%><%task.value%><%/has_task%><%^has_task%>0<%/has_task%>, 0};<%={{ }}=%>
{{/events}}

static __inline ULONG EventRegister{{provider.symbol}}(void)
{
    return EventRegister(&{{provider.symbol}}, NULL, NULL,
                         &{{provider.symbol}}Handle);
}

static __inline ULONG EventUnregister{{provider.symbol}}(void)
{
    ULONG error = EventUnregister({{provider.symbol}}Handle);
    {{provider.symbol}}Handle = (REGHANDLE)0;
    return error;
}
{{#uses.ustring}}

static __inline void {{schema.name}}_etw_ustr(
    EVENT_DATA_DESCRIPTOR *d, PCWSTR s)
{
    if (!s)
        s = L"NULL";
    EventDataDescCreate(d, s, (ULONG)((wcslen(s) + 1) * sizeof(WCHAR)));
}
{{/uses.ustring}}
{{#uses.astring}}

static __inline void {{schema.name}}_etw_astr(
    EVENT_DATA_DESCRIPTOR *d, PCSTR s)
{
    if (!s)
        s = "NULL";
    EventDataDescCreate(d, s, (ULONG)(strlen(s) + 1));
}
{{/uses.astring}}
{{#events}}

/*
 * {{name}}{{#has_description}}
 * {{description}}{{/has_description}}
 */
static __inline BOOLEAN EventEnabled{{name}}(void)
{
    return EventEnabled({{provider.symbol}}Handle, &{{name}});
}

static __inline ULONG EventWrite{{name}}(
{{#fields}}
{{>c/etw_param}}
{{/fields}}
{{^has_fields}}
    void)
{{/has_fields}}
{
{{#has_fields}}
    EVENT_DATA_DESCRIPTOR d[{{nfields}}];

{{#fields}}
{{>c/etw_desc}}
{{/fields}}
    return EventWriteTransfer({{provider.symbol}}Handle, &{{name}},
                              NULL, NULL, {{nfields}}, d);
{{/has_fields}}
{{^has_fields}}
    return EventWriteTransfer({{provider.symbol}}Handle, &{{name}},
                              NULL, NULL, 0, NULL);
{{/has_fields}}
}
{{/events}}

#ifdef __cplusplus
}
#endif

#endif /* {{schema.NAME}}_ETW_H */
%%partial c/etw_desc
{{#is_pointer_sized}}
    EventDataDescCreate(&d[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_pointer_sized}}
{{#is_integer}}
    EventDataDescCreate(&d[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_integer}}
{{#is_bool}}
    EventDataDescCreate(&d[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_bool}}
{{#is_float}}
    EventDataDescCreate(&d[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_float}}
{{#is_double}}
    EventDataDescCreate(&d[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_double}}
{{#is_guid}}
    EventDataDescCreate(&d[{{index}}], {{name}}, sizeof(GUID));
{{/is_guid}}
{{#is_filetime}}
    EventDataDescCreate(&d[{{index}}], {{name}}, sizeof(FILETIME));
{{/is_filetime}}
{{#is_ustring}}
    {{schema.name}}_etw_ustr(&d[{{index}}], {{name}});
{{/is_ustring}}
{{#is_astring}}
    {{schema.name}}_etw_astr(&d[{{index}}], {{name}});
{{/is_astring}}
{{#is_binary}}
{{#has_length_field}}
    EventDataDescCreate(&d[{{index}}], {{name}}, (ULONG){{length_field}});
{{/has_length_field}}
{{#has_length_const}}
    EventDataDescCreate(&d[{{index}}], {{name}}, {{length_const}});
{{/has_length_const}}
{{/is_binary}}
%%partial c/etw_param
    {{#is_pointer}}const void *{{/is_pointer}}{{#is_size}}SIZE_T {{/is_size}}{{#is_integer}}{{win_type}} {{/is_integer}}{{#is_bool}}BOOL {{/is_bool}}{{#is_float}}FLOAT {{/is_float}}{{#is_double}}DOUBLE {{/is_double}}{{#is_guid}}const GUID *{{/is_guid}}{{#is_filetime}}const FILETIME *{{/is_filetime}}{{#is_ustring}}PCWSTR {{/is_ustring}}{{#is_astring}}PCSTR {{/is_astring}}{{#is_binary}}const BYTE *{{/is_binary}}{{name}}{{^last}},{{/last}}{{#last}}){{/last}}
%%partial c/json_field
    PUT_LIT(j, "{{^first}},{{/first}}\"{{name}}\":");
{{#is_pointer}}
    put_hex(j, ev->{{name}});
{{/is_pointer}}
{{#is_size}}
    put_u64(j, ev->{{name}});
{{/is_size}}
{{#is_integer}}
{{#has_enum}}
    put_enum(j, ev->{{name}}, {{schema.name}}_{{enum.lower}}_name(ev->{{name}}));
{{/has_enum}}
{{^has_enum}}
{{#is_hex}}
    put_hex(j, ev->{{name}});
{{/is_hex}}
{{^is_hex}}
{{#is_signed}}
    put_i64(j, ev->{{name}});
{{/is_signed}}
{{^is_signed}}
    put_u64(j, ev->{{name}});
{{/is_signed}}
{{/is_hex}}
{{/has_enum}}
{{/is_integer}}
{{#is_bool}}
    put_bool(j, ev->{{name}});
{{/is_bool}}
{{#is_float}}
    put_f32(j, ev->{{name}});
{{/is_float}}
{{#is_double}}
    put_f64(j, ev->{{name}});
{{/is_double}}
{{#is_guid}}
    put_guid(j, &ev->{{name}});
{{/is_guid}}
{{#is_filetime}}
    put_u64(j, ev->{{name}});
{{/is_filetime}}
{{#is_ustring}}
    put_ustr(j, &ev->{{name}});
{{/is_ustring}}
{{#is_astring}}
    put_astr(j, &ev->{{name}});
{{/is_astring}}
{{#is_binary}}
    put_bin(j, &ev->{{name}});
{{/is_binary}}
%%partial c/load32
{{#is_pointer_sized}}
        ev->{{name}} = LOAD_u32(p + {{offset32}});
{{/is_pointer_sized}}
{{^is_pointer_sized}}
{{#is_guid}}
        load_guid(&ev->{{name}}, p + {{offset32}});
{{/is_guid}}
{{#is_binary}}
        ev->{{name}}.data = p + {{offset32}};
        ev->{{name}}.len = {{length_const}};
{{/is_binary}}
{{^is_guid}}
{{^is_binary}}
        ev->{{name}} = LOAD_{{codec}}(p + {{offset32}});
{{/is_binary}}
{{/is_guid}}
{{/is_pointer_sized}}
{{#has_enum}}
        if (!{{schema.name}}_{{enum.lower}}_is_known(ev->{{name}}))
            unknown++;
{{/has_enum}}
%%partial c/load64
{{#is_pointer_sized}}
        ev->{{name}} = LOAD_u64(p + {{offset64}});
{{/is_pointer_sized}}
{{^is_pointer_sized}}
{{#is_guid}}
        load_guid(&ev->{{name}}, p + {{offset64}});
{{/is_guid}}
{{#is_binary}}
        ev->{{name}}.data = p + {{offset64}};
        ev->{{name}}.len = {{length_const}};
{{/is_binary}}
{{^is_guid}}
{{^is_binary}}
        ev->{{name}} = LOAD_{{codec}}(p + {{offset64}});
{{/is_binary}}
{{/is_guid}}
{{/is_pointer_sized}}
{{#has_enum}}
        if (!{{schema.name}}_{{enum.lower}}_is_known(ev->{{name}}))
            unknown++;
{{/has_enum}}
%%partial c/member
{{#is_pointer}}
    uint64_t {{name}}; /* pointer: P bytes */
{{/is_pointer}}
{{#is_size}}
    uint64_t {{name}}; /* size: P bytes */
{{/is_size}}
{{#is_integer}}
    {{c_type}} {{name}}; /* {{type}}{{#has_enum}}, enum {{enum.name}}{{/has_enum}}{{#is_length}}, length of {{length_of}}{{/is_length}} */
{{/is_integer}}
{{#is_bool}}
    int32_t {{name}}; /* bool: 4 bytes */
{{/is_bool}}
{{#is_float}}
    float {{name}};
{{/is_float}}
{{#is_double}}
    double {{name}};
{{/is_double}}
{{#is_guid}}
    struct {{schema.name}}_guid {{name}};
{{/is_guid}}
{{#is_filetime}}
    uint64_t {{name}}; /* FILETIME: 100 ns units since 1601 */
{{/is_filetime}}
{{#is_ustring}}
    struct {{schema.name}}_ustr {{name}}; /* NUL-terminated UTF-16LE */
{{/is_ustring}}
{{#is_astring}}
    struct {{schema.name}}_astr {{name}}; /* NUL-terminated, 8-bit */
{{/is_astring}}
{{#is_binary}}
{{#has_length_field}}
    struct {{schema.name}}_bytes {{name}}; /* {{length_field}} bytes */
{{/has_length_field}}
{{#has_length_const}}
    struct {{schema.name}}_bytes {{name}}; /* {{length_const}} bytes */
{{/has_length_const}}
{{/is_binary}}
%%partial c/store32
{{#is_pointer_sized}}
        STORE_u32(q + {{offset32}}, ev->{{name}});
{{/is_pointer_sized}}
{{^is_pointer_sized}}
{{#is_guid}}
        store_guid(q + {{offset32}}, &ev->{{name}});
{{/is_guid}}
{{#is_binary}}
        memcpy(q + {{offset32}}, ev->{{name}}.data, {{length_const}});
{{/is_binary}}
{{^is_guid}}
{{^is_binary}}
        STORE_{{codec}}(q + {{offset32}}, ev->{{name}});
{{/is_binary}}
{{/is_guid}}
{{/is_pointer_sized}}
%%partial c/store64
{{#is_pointer_sized}}
        STORE_u64(q + {{offset64}}, ev->{{name}});
{{/is_pointer_sized}}
{{^is_pointer_sized}}
{{#is_guid}}
        store_guid(q + {{offset64}}, &ev->{{name}});
{{/is_guid}}
{{#is_binary}}
        memcpy(q + {{offset64}}, ev->{{name}}.data, {{length_const}});
{{/is_binary}}
{{^is_guid}}
{{^is_binary}}
        STORE_{{codec}}(q + {{offset64}}, ev->{{name}});
{{/is_binary}}
{{/is_guid}}
{{/is_pointer_sized}}
%%partial docs/c-field
{{!
  One field as a member of the syntax block's struct.  A binary field is
  an array sized by another field or by a constant.
}}
{{#is_binary}}BYTE {{{name}}}[{{#has_length_field}}{{{length_field}}}{{/has_length_field}}{{#has_length_const}}{{length_const}}{{/has_length_const}}];{{/is_binary}}{{^is_binary}}{{{win_type}}} {{{name}}};{{/is_binary}}
%%partial docs/event
{{!
  One event's reference page (per [locale, event]): summary, syntax,
  parameters with their value tables, remarks, payload layout,
  requirements and a link back to the overview.
}}
{{<docs/page}}
{{$front}}
description: "{{{description}}}"
{{#doc.assetid}}
ms.assetid: {{{.}}}
{{/doc.assetid}}
title: "{{{strings.title}}}"
ms.topic: reference
ms.date: {{#doc.date}}{{{.}}}{{/doc.date}}{{^doc.date}}{{{docs.overview.date}}}{{/doc.date}}
topic_type:
- APIRef
- kbSyntax
api_name:
- {{{name}}}
api_type:
- HeaderDef
api_location:
- {{{docs.api_location}}}
{{/front}}
{{$body}}
# {{strings.heading}}

{{#doc.has_summary}}
{{{doc.summary}}}
{{/doc.has_summary}}
{{^doc.has_summary}}
{{{description}}}
{{/doc.has_summary}}

```C++
typedef struct {{{name}}} {
{{#fields}}
  {{>docs/c-field}}
{{/fields}}
} {{{name}}};
```

## {{strings.parameters}}

{{#fields}}
{{>docs/parameter}}
{{/fields}}
{{^has_fields}}
{{strings.no_parameters}}

{{/has_fields}}
{{#doc.has_remarks}}
## {{strings.remarks}}

{{{doc.remarks}}}

{{/doc.has_remarks}}
## {{strings.layout}}

{{{strings.layout_intro}}}

{{#has_old_layouts}}
{{#layouts}}
### {{#is_range}}{{strings.versions_layout}}{{/is_range}}{{^is_range}}{{strings.version_layout}}{{/is_range}}

{{>docs/layout-table}}

{{/layouts}}
{{/has_old_layouts}}
{{^has_old_layouts}}
{{#layouts}}
{{>docs/layout-table}}

{{/layouts}}
{{/has_old_layouts}}
## {{strings.requirements}}

| {{strings.requirement}} | {{strings.value}} |
|---|---|
| {{strings.min_client}}<br/> | {{docs.min_client}}<br/> |
| {{strings.min_server}}<br/> | {{docs.min_server}}<br/> |
| {{strings.header}}<br/> | <dl> <dt>{{docs.header}}</dt> </dl> |

## {{strings.see_also}}

<dl> <dt>

[{{docs.overview.title}}]({{{docs.overview.file}}}.md)
</dt> </dl>
{{/body}}
{{/docs/page}}
%%partial docs/layout-table
{{!
  One payload layout: each field's offset and size for 32-bit and 64-bit
  producers, then the total.  A cell that depends on the data (a string,
  a blob sized by another field, anything after one) says so instead of a
  number; a variable total gives the smallest payload (fixed fields plus
  the strings' terminators).  Tests parse this table (README, "Reference
  docs"): keep six columns, one row per field in payload order, the
  total last.
}}
| {{strings.field}} | {{strings.type}} | {{strings.offset_32}} | {{strings.size_32}} | {{strings.offset_64}} | {{strings.size_64}} |
|---|---|---:|---:|---:|---:|
{{#fields}}
| {{name}} | {{win_type}} | {{#has_fixed_offset}}{{offset32}}{{/has_fixed_offset}}{{^has_fixed_offset}}{{strings.variable}}{{/has_fixed_offset}} | {{#is_fixed}}{{size32}}{{/is_fixed}}{{^is_fixed}}{{strings.variable}}{{/is_fixed}} | {{#has_fixed_offset}}{{offset64}}{{/has_fixed_offset}}{{^has_fixed_offset}}{{strings.variable}}{{/has_fixed_offset}} | {{#is_fixed}}{{size64}}{{/is_fixed}}{{^is_fixed}}{{strings.variable}}{{/is_fixed}} |
{{/fields}}
| **{{strings.total}}** | | | {{#is_fixed}}{{size32}}{{/is_fixed}}{{^is_fixed}}{{#min32}}{{strings.min_size}}{{/min32}}{{/is_fixed}} | | {{#is_fixed}}{{size64}}{{/is_fixed}}{{^is_fixed}}{{#min64}}{{strings.min_size}}{{/min64}}{{/is_fixed}} |
%%partial docs/overview
{{!
  The overview page (per locale): what the events are for, a table
  linking every event's page, and related topics.
}}
{{<docs/page}}
{{$front}}
description: "{{{docs.overview.description}}}"
ms.assetid: {{{docs.overview.assetid}}}
title: "{{{docs.overview.title}}}"
ms.topic: article
ms.date: {{{docs.overview.date}}}
{{/front}}
{{$body}}
# {{docs.overview.title}}

{{{docs.overview.body}}}

{{{docs.overview.events_intro}}}

| {{strings.event_name}} | {{strings.description}} |
|---|---|
{{#events}}
| [**{{name}}**]({{{slug}}}.md) | {{{description}}} |
{{/events}}

## {{strings.related_topics}}

{{#docs.overview.related}}
{{#first}}
<dl> <dt>
{{/first}}
{{^first}}
</dt> <dt>
{{/first}}

[{{title}}]({{{url}}})
{{#last}}
</dt> </dl>
{{/last}}
{{/docs.overview.related}}
{{/body}}
{{/docs/page}}
%%partial docs/page
{{!
  The frame of every reference page, in every locale: YAML front matter,
  then the body.  A page fills `front` (its own keys, in the order the
  published pages have them) and `body`; translated pages get the keys
  that tie them to the English page they translate.  No text of any page
  is written here or in the pages: it all comes from the schema, its
  `strings:` and the locale files.

  Front matter values that hold free text are double-quoted, so that a
  colon or a leading '*' in a title or description still reads as text.
}}
---
{{$front}}
{{/front}}
{{^locale.is_default}}
ms.contentlocale: {{{locale.name}}}
ms.openlocfilehash: {{{source_hash}}}
{{/locale.is_default}}
---

{{$body}}
{{/body}}
%%partial docs/parameter
{{!
  One field in the Parameters list (<dl> opened by the first, closed by
  the last), with the table of its enum's values.
}}
{{#first}}
<dl> <dt>
{{/first}}
{{^first}}
</dd> <dt>
{{/first}}

*{{name}}*
</dt> <dd>

{{{description}}}

{{#has_length_field}}
{{{strings.sized_by}}}

{{/has_length_field}}
{{#has_since}}
{{{strings.added_in}}}

{{/has_since}}
{{#has_enum}}
{{#enum.has_header}}
{{{strings.values_intro}}}
{{/enum.has_header}}
{{^enum.has_header}}
{{{strings.values_intro_no_header}}}
{{/enum.has_header}}

| {{strings.value}} | {{strings.meaning}} |
|---|---|
{{#enum.values}}
| <span id="{{{name}}}"></span><span id="{{{anchor}}}"></span><dl> <dt>**{{name}}**</dt> <dt>{{value}}</dt> </dl> | {{{description}}}<br/> |
{{/enum.values}}

{{/has_enum}}
{{#last}}
</dd> </dl>

{{/last}}
%%partial manifest/manifest
{{!
  The ETW instrumentation manifest (generated/manifest/SCHEMA.man), valid
  against the Windows SDK's eventman.xsd.  Rendered once, from the default
  locale's data, with escape: xml.

  Every human-readable text is a $(string.ID) reference whose ID is the
  schema's string id (provider.description, events.X.message, ...); the
  <localization> section below holds one stringTable per locale, each
  rendered from that locale's data tree (locales[].tr), so every culture
  carries the same ids.  An enum value without a description still needs
  a map message (the XSD requires one): it gets "names.VALUE" (enum value
  names are unique across enums), whose text is the value's name, which
  no culture translates.

  One <template> and one <event> per event layout: an event whose payload
  changed between versions has several <event>s with the same value.  The
  newest layout's event keeps the event's name as its symbol, older ones
  use their template id (NAME_vN), so symbols stay unique.  An event's
  message is its `message` (with %1..%n insertions), else its
  description; a layout without fields has no template.

  GUIDs go inside literal braces, which Mustache would read as a triple
  mustache: those lines switch the delimiters to <% %> and back.
}}
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by evgen from the {{schema.name}} schema. Do not edit. -->
<instrumentationManifest
    xmlns="http://schemas.microsoft.com/win/2004/08/events"
    xmlns:win="http://manifests.microsoft.com/win/2004/08/windows/events"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <instrumentation>
    <events>
      {{=<% %>=}}
      <provider name="<%provider.name%>" guid="{<%provider.guid%>}" symbol="<%provider.symbol%>"<%#provider.has_resource_file%> resourceFileName="<%provider.resource_file%>"<%/provider.has_resource_file%><%#provider.has_message_file%> messageFileName="<%provider.message_file%>"<%/provider.has_message_file%><%#provider.has_description%> message="$(string.<%provider.description_id%>)"<%/provider.has_description%>>
      <%={{ }}=%>
        {{#has_tasks}}
        <tasks>
          {{#tasks}}
          {{=<% %>=}}
          <task name="<%name%>" symbol="<%symbol%>" value="<%value%>"<%#has_guid%> eventGUID="{<%guid%>}"<%/has_guid%><%#has_description%> message="$(string.<%description_id%>)"<%/has_description%>/>
          <%={{ }}=%>
          {{/tasks}}
        </tasks>
        {{/has_tasks}}
        {{#has_opcodes}}
        <opcodes>
          {{#opcodes}}
          <opcode name="{{name}}" symbol="{{symbol}}" value="{{value}}"{{#has_description}} message="$(string.{{description_id}})"{{/has_description}}/>
          {{/opcodes}}
        </opcodes>
        {{/has_opcodes}}
        {{#has_enums}}
        <maps>
          {{#enums}}
          <valueMap name="{{name}}">
            {{#values}}
            <map value="{{value}}" message="$(string.{{#has_description}}{{description_id}}{{/has_description}}{{^has_description}}names.{{name}}{{/has_description}})"/>
            {{/values}}
          </valueMap>
          {{/enums}}
        </maps>
        {{/has_enums}}
        <templates>
          {{#events}}
          {{#layouts}}
          {{#has_fields}}
          <template tid="{{template}}">
            {{#fields}}
            <data name="{{name}}" inType="{{in_type}}"{{#has_out_type}} outType="{{out_type}}"{{/has_out_type}}{{#has_enum}} map="{{enum.name}}"{{/has_enum}}{{#has_length_field}} length="{{length_field}}"{{/has_length_field}}{{#has_length_const}} length="{{length_const}}"{{/has_length_const}}/>
            {{/fields}}
          </template>
          {{/has_fields}}
          {{/layouts}}
          {{/events}}
        </templates>
        <events>
          {{#events}}
          {{#layouts}}
          <event symbol="{{#is_current}}{{name}}{{/is_current}}{{^is_current}}{{template}}{{/is_current}}" value="{{id}}" version="{{version}}" level="{{level.manifest}}"{{#has_task}} task="{{task.name}}"{{/has_task}}{{#has_opcode}} opcode="{{opcode.name}}"{{/has_opcode}}{{#has_fields}} template="{{template}}"{{/has_fields}}{{#has_message}} message="$(string.{{message_id}})"{{/has_message}}{{^has_message}}{{#has_description}} message="$(string.{{description_id}})"{{/has_description}}{{/has_message}}/>
          {{/layouts}}
          {{/events}}
        </events>
      </provider>
    </events>
  </instrumentation>
  <localization>
    {{#locales}}
    <resources culture="{{name}}">
      <stringTable>
        {{#tr}}
        {{>manifest/strings}}
        {{/tr}}
      </stringTable>
    </resources>
    {{/locales}}
  </localization>
</instrumentationManifest>
%%partial manifest/strings
{{!
  One culture's string table: every string id manifest.mustache refers
  to, in the same order and under the same conditions, rendered from that
  culture's data tree.
}}
{{#provider.has_description}}
<string id="{{provider.description_id}}" value="{{provider.description}}"/>
{{/provider.has_description}}
{{#tasks}}
{{#has_description}}
<string id="{{description_id}}" value="{{description}}"/>
{{/has_description}}
{{/tasks}}
{{#opcodes}}
{{#has_description}}
<string id="{{description_id}}" value="{{description}}"/>
{{/has_description}}
{{/opcodes}}
{{#enums}}
{{#values}}
{{#has_description}}
<string id="{{description_id}}" value="{{description}}"/>
{{/has_description}}
{{^has_description}}
<string id="names.{{name}}" value="{{name}}"/>
{{/has_description}}
{{/values}}
{{/enums}}
{{#events}}
{{#has_message}}
<string id="{{message_id}}" value="{{message}}"/>
{{/has_message}}
{{^has_message}}
{{#has_description}}
<string id="{{description_id}}" value="{{description}}"/>
{{/has_description}}
{{/has_message}}
{{/events}}
