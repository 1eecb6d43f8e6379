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
    EVENT_DATA_DESCRIPTOR EventData[{{nfields}}];

{{#fields}}
{{>c/etw_desc}}
{{/fields}}
    return EventWriteTransfer({{provider.symbol}}Handle, &{{name}},
                              NULL, NULL, {{nfields}}, EventData);
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
    is_fixed: true
    size32: 16
    size64: 28
    min32: 16
    min64: 28
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
%%partial c/etw_desc
{{#is_pointer_sized}}
    EventDataDescCreate(&EventData[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_pointer_sized}}
{{#is_integer}}
    EventDataDescCreate(&EventData[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_integer}}
{{#is_bool}}
    EventDataDescCreate(&EventData[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_bool}}
{{#is_float}}
    EventDataDescCreate(&EventData[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_float}}
{{#is_double}}
    EventDataDescCreate(&EventData[{{index}}], &{{name}}, sizeof({{name}}));
{{/is_double}}
{{#is_guid}}
    EventDataDescCreate(&EventData[{{index}}], {{name}}, sizeof(GUID));
{{/is_guid}}
{{#is_filetime}}
    EventDataDescCreate(&EventData[{{index}}], {{name}}, sizeof(FILETIME));
{{/is_filetime}}
{{#is_ustring}}
    {{schema.name}}_etw_ustr(&EventData[{{index}}], {{name}});
{{/is_ustring}}
{{#is_astring}}
    {{schema.name}}_etw_astr(&EventData[{{index}}], {{name}});
{{/is_astring}}
{{#is_binary}}
{{#has_length_field}}
    EventDataDescCreate(&EventData[{{index}}], {{name}}, (ULONG){{length_field}});
{{/has_length_field}}
{{#has_length_const}}
    EventDataDescCreate(&EventData[{{index}}], {{name}}, {{length_const}});
{{/has_length_const}}
{{/is_binary}}
%%partial c/etw_param
    {{#is_pointer}}const void *{{/is_pointer}}{{#is_size}}SIZE_T {{/is_size}}{{#is_integer}}{{win_type}} {{/is_integer}}{{#is_bool}}BOOL {{/is_bool}}{{#is_float}}FLOAT {{/is_float}}{{#is_double}}DOUBLE {{/is_double}}{{#is_guid}}const GUID *{{/is_guid}}{{#is_filetime}}const FILETIME *{{/is_filetime}}{{#is_ustring}}PCWSTR {{/is_ustring}}{{#is_astring}}PCSTR {{/is_astring}}{{#is_binary}}const BYTE *{{/is_binary}}{{name}}{{^last}},{{/last}}{{#last}}){{/last}}
