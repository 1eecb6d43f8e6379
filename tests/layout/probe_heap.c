/*
 * probe_heap.c - where the generated encoder puts each field of each heap
 * event, for both pointer sizes.  Every field gets a value whose bytes
 * are all one marker, unique to the field; the encoded payload is then
 * read back byte by byte to find the field's offset and size.  Prints
 * "EVENT FIELD P OFFSET SIZE" lines; tests/suites/layout.sh compares them
 * with the payload layout tables of the generated docs.
 */
#include "heap_events.h"

#include <stdio.h>
#include <string.h>

/* A value whose low `bytes` bytes are all `marker`. */
static uint64_t fill(unsigned marker, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++)
        v = v << 8 | marker;
    return v;
}

/* Print the run of each marker in buf. */
static int report(const char *event, const char *const *names, size_t n,
                  unsigned p, const unsigned char *buf, size_t len)
{
    for (size_t f = 0; f < n; f++) {
        unsigned marker = 0xa0 + (unsigned)f;
        size_t first = len, count = 0;
        for (size_t i = 0; i < len; i++)
            if (buf[i] == marker) {
                if (first == len)
                    first = i;
                count++;
            }
        if (!count || memchr(buf + first, (int)marker, count) == NULL)
            return fprintf(stderr, "%s.%s: not found\n", event, names[f]), 1;
        printf("%s %s %u %zu %zu\n", event, names[f], p, first, count);
    }
    return 0;
}

int main(void)
{
    unsigned char buf[64];
    size_t size;
    int rc = 0;

    for (unsigned p = 4; p <= 8; p += 4) {
        {
            static const char *const names[] = {"HeapHandle", "Size",
                                                "Address", "Source"};
            struct heap_events_etw_heap_event_alloc ev;
            ev.HeapHandle = fill(0xa0, p);
            ev.Size = fill(0xa1, p);
            ev.Address = fill(0xa2, p);
            ev.Source = (uint32_t)fill(0xa3, 4);
            rc |= heap_events_etw_heap_event_alloc_encode(&ev, p, buf,
                                                          sizeof buf, &size);
            rc |= report("ETW_HEAP_EVENT_ALLOC", names, 4, p, buf, size);
        }
        {
            static const char *const names[] = {"HeapHandle", "Address",
                                                "Source"};
            struct heap_events_etw_heap_event_free ev;
            ev.HeapHandle = fill(0xa0, p);
            ev.Address = fill(0xa1, p);
            ev.Source = (uint32_t)fill(0xa2, 4);
            rc |= heap_events_etw_heap_event_free_encode(&ev, p, buf,
                                                         sizeof buf, &size);
            rc |= report("ETW_HEAP_EVENT_FREE", names, 3, p, buf, size);
        }
        {
            static const char *const names[] = {"HeapHandle", "NewAddress",
                                                "OldAddress", "NewSize",
                                                "OldSize",    "Source"};
            struct heap_events_etw_heap_event_realloc ev;
            ev.HeapHandle = fill(0xa0, p);
            ev.NewAddress = fill(0xa1, p);
            ev.OldAddress = fill(0xa2, p);
            ev.NewSize = fill(0xa3, p);
            ev.OldSize = fill(0xa4, p);
            ev.Source = (uint32_t)fill(0xa5, 4);
            rc |= heap_events_etw_heap_event_realloc_encode(&ev, p, buf,
                                                            sizeof buf,
                                                            &size);
            rc |= report("ETW_HEAP_EVENT_REALLOC", names, 6, p, buf, size);
        }
    }
    return rc != 0;
}
