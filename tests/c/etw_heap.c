/*
 * etw_heap.c - compile-and-link check of the generated Windows provider
 * wrapper (generated/c/heap_events_etw.h) with mingw-w64: register, test
 * and write every event, unregister.  etw_heap2.c includes the header in
 * a second translation unit: the handle and descriptors must link once.
 */
#include "heap_events_etw.h"

int other_unit_enabled(void);

int main(void)
{
    int x = 0;
    ULONG error = EventRegisterHeapTraceProvider();

    if (EventEnabledETW_HEAP_EVENT_ALLOC() || other_unit_enabled())
        x++;
    error |= EventWriteETW_HEAP_EVENT_ALLOC(&x, sizeof(x), &x, 3);
    error |= EventWriteETW_HEAP_EVENT_REALLOC(&x, &x + 1, &x, 8, 4, 1);
    error |= EventWriteETW_HEAP_EVENT_FREE(&x, &x, 2);
    error |= EventUnregisterHeapTraceProvider();
    return error != 0 || HeapTraceProviderHandle != 0 ||
           ETW_HEAP_EVENT_REALLOC.Opcode != 34;
}
