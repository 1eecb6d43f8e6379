/*
 * heap_events_etw.h - writes the Heap Trace Provider events through
 * ETW on Windows, in the way of the header `mc.exe -um` makes; generated
 * by evgen 0.1.0 from heap.yaml.  Do not edit.
 *
 *   EventRegisterHeapTraceProvider()     call once before writing
 *   EventUnregisterHeapTraceProvider()   ...and once when done
 *   EventEnabled<EVENT>()       whether a session listens for the event
 *   EventWrite<EVENT>(fields)   writes it; returns a Win32 error code
 *
 * The fields are passed in schema order.  Pointers and sizes go out at the
 * writing process's own pointer size, as decoders expect; strings with
 * their terminator (a NULL string is written as "NULL", as mc.exe does);
 * binary fields as many bytes as their length field or fixed length says.
 * Link with advapi32.
 */
#ifndef HEAP_EVENTS_ETW_H
#define HEAP_EVENTS_ETW_H

#include <windows.h>
#include <evntprov.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 222962ab-6180-4b88-a825-346b75f2a24a: Heap Trace Provider */
__declspec(selectany) const GUID HeapTraceProvider =
    {0x222962ab, 0x6180, 0x4b88, {0xa8, 0x25, 0x34, 0x6b, 0x75, 0xf2, 0xa2, 0x4a}};

/* The registration handle EventRegisterHeapTraceProvider() sets. */
__declspec(selectany) REGHANDLE HeapTraceProviderHandle = (REGHANDLE)0;

/* Id, Version, Channel, Level, Opcode, Task, Keyword */
__declspec(selectany) const EVENT_DESCRIPTOR ETW_HEAP_EVENT_ALLOC =
    {33, 2, 0, 4, 33, 1, 0};
__declspec(selectany) const EVENT_DESCRIPTOR ETW_HEAP_EVENT_FREE =
    {36, 2, 0, 4, 36, 1, 0};
__declspec(selectany) const EVENT_DESCRIPTOR ETW_HEAP_EVENT_REALLOC =
    {34, 2, 0, 4, 34, 1, 0};

static __inline ULONG EventRegisterHeapTraceProvider(void)
{
    return EventRegister(&HeapTraceProvider, NULL, NULL,
                         &HeapTraceProviderHandle);
}

static __inline ULONG EventUnregisterHeapTraceProvider(void)
{
    ULONG error = EventUnregister(HeapTraceProviderHandle);
    HeapTraceProviderHandle = (REGHANDLE)0;
    return error;
}

/*
 * ETW_HEAP_EVENT_ALLOC
 * Memory management tracing event for a heap allocation operation.
 */
static __inline BOOLEAN EventEnabledETW_HEAP_EVENT_ALLOC(void)
{
    return EventEnabled(HeapTraceProviderHandle, &ETW_HEAP_EVENT_ALLOC);
}

static __inline ULONG EventWriteETW_HEAP_EVENT_ALLOC(
    const void *HeapHandle,
    SIZE_T Size,
    const void *Address,
    ULONG Source)
{
    EVENT_DATA_DESCRIPTOR EventData[4];

    EventDataDescCreate(&EventData[0], &HeapHandle, sizeof(HeapHandle));
    EventDataDescCreate(&EventData[1], &Size, sizeof(Size));
    EventDataDescCreate(&EventData[2], &Address, sizeof(Address));
    EventDataDescCreate(&EventData[3], &Source, sizeof(Source));
    return EventWriteTransfer(HeapTraceProviderHandle, &ETW_HEAP_EVENT_ALLOC,
                              NULL, NULL, 4, EventData);
}

/*
 * ETW_HEAP_EVENT_FREE
 * Memory management tracing event for a heap free operation.
 */
static __inline BOOLEAN EventEnabledETW_HEAP_EVENT_FREE(void)
{
    return EventEnabled(HeapTraceProviderHandle, &ETW_HEAP_EVENT_FREE);
}

static __inline ULONG EventWriteETW_HEAP_EVENT_FREE(
    const void *HeapHandle,
    const void *Address,
    ULONG Source)
{
    EVENT_DATA_DESCRIPTOR EventData[3];

    EventDataDescCreate(&EventData[0], &HeapHandle, sizeof(HeapHandle));
    EventDataDescCreate(&EventData[1], &Address, sizeof(Address));
    EventDataDescCreate(&EventData[2], &Source, sizeof(Source));
    return EventWriteTransfer(HeapTraceProviderHandle, &ETW_HEAP_EVENT_FREE,
                              NULL, NULL, 3, EventData);
}

/*
 * ETW_HEAP_EVENT_REALLOC
 * Memory management tracing event for a heap reallocation operation.
 */
static __inline BOOLEAN EventEnabledETW_HEAP_EVENT_REALLOC(void)
{
    return EventEnabled(HeapTraceProviderHandle, &ETW_HEAP_EVENT_REALLOC);
}

static __inline ULONG EventWriteETW_HEAP_EVENT_REALLOC(
    const void *HeapHandle,
    const void *NewAddress,
    const void *OldAddress,
    SIZE_T NewSize,
    SIZE_T OldSize,
    ULONG Source)
{
    EVENT_DATA_DESCRIPTOR EventData[6];

    EventDataDescCreate(&EventData[0], &HeapHandle, sizeof(HeapHandle));
    EventDataDescCreate(&EventData[1], &NewAddress, sizeof(NewAddress));
    EventDataDescCreate(&EventData[2], &OldAddress, sizeof(OldAddress));
    EventDataDescCreate(&EventData[3], &NewSize, sizeof(NewSize));
    EventDataDescCreate(&EventData[4], &OldSize, sizeof(OldSize));
    EventDataDescCreate(&EventData[5], &Source, sizeof(Source));
    return EventWriteTransfer(HeapTraceProviderHandle, &ETW_HEAP_EVENT_REALLOC,
                              NULL, NULL, 6, EventData);
}

#ifdef __cplusplus
}
#endif

#endif /* HEAP_EVENTS_ETW_H */
