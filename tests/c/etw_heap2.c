/* The second translation unit of etw_heap.c's link check. */
#include "heap_events_etw.h"

int other_unit_enabled(void);

int other_unit_enabled(void)
{
    return EventEnabledETW_HEAP_EVENT_FREE() &&
           IsEqualGUID(&HeapTraceProvider, &HeapTraceProvider);
}
