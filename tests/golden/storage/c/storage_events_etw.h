/*
 * storage_events_etw.h - writes the Contoso-Storage-Driver events through
 * ETW on Windows, in the way of the header `mc.exe -um` makes; generated
 * by evgen 0.1.0 from storage.yaml.  Do not edit.
 *
 *   EventRegisterContosoStorageDriver()     call once before writing
 *   EventUnregisterContosoStorageDriver()   ...and once when done
 *   EventEnabled<EVENT>()       whether a session listens for the event
 *   EventWrite<EVENT>(fields)   writes it; returns a Win32 error code
 *
 * The fields are passed in schema order.  Pointers and sizes go out at the
 * writing process's own pointer size, as decoders expect; strings with
 * their terminator (a NULL string is written as "NULL", as mc.exe does);
 * binary fields as many bytes as their length field or fixed length says.
 * Link with advapi32.
 */
#ifndef STORAGE_EVENTS_ETW_H
#define STORAGE_EVENTS_ETW_H

#include <windows.h>
#include <evntprov.h>
#include <string.h>
#include <wchar.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 6e3a4c1b-93f0-4d5e-a1b2-c3d4e5f60718: Contoso-Storage-Driver */
__declspec(selectany) const GUID ContosoStorageDriver =
    {0x6e3a4c1b, 0x93f0, 0x4d5e, {0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18}};

/* The registration handle EventRegisterContosoStorageDriver() sets. */
__declspec(selectany) REGHANDLE ContosoStorageDriverHandle = (REGHANDLE)0;

/* Id, Version, Channel, Level, Opcode, Task, Keyword */
__declspec(selectany) const EVENT_DESCRIPTOR VOLUME_MOUNTED =
    {1, 0, 0, 4, 10, 1, 0};
__declspec(selectany) const EVENT_DESCRIPTOR IO_COMPLETED =
    {2, 2, 0, 5, 11, 2, 0};
__declspec(selectany) const EVENT_DESCRIPTOR IO_FAILED =
    {3, 1, 0, 2, 20, 2, 0};
__declspec(selectany) const EVENT_DESCRIPTOR CACHE_STATS =
    {4, 0, 0, 3, 12, 2, 0};

static __inline ULONG EventRegisterContosoStorageDriver(void)
{
    return EventRegister(&ContosoStorageDriver, NULL, NULL,
                         &ContosoStorageDriverHandle);
}

static __inline ULONG EventUnregisterContosoStorageDriver(void)
{
    ULONG error = EventUnregister(ContosoStorageDriverHandle);
    ContosoStorageDriverHandle = (REGHANDLE)0;
    return error;
}

static __inline void storage_events_etw_ustr(
    EVENT_DATA_DESCRIPTOR *d, PCWSTR s)
{
    if (!s)
        s = L"NULL";
    EventDataDescCreate(d, s, (ULONG)((wcslen(s) + 1) * sizeof(WCHAR)));
}

static __inline void storage_events_etw_astr(
    EVENT_DATA_DESCRIPTOR *d, PCSTR s)
{
    if (!s)
        s = "NULL";
    EventDataDescCreate(d, s, (ULONG)(strlen(s) + 1));
}

/*
 * VOLUME_MOUNTED
 * A volume was mounted.
 */
static __inline BOOLEAN EventEnabledVOLUME_MOUNTED(void)
{
    return EventEnabled(ContosoStorageDriverHandle, &VOLUME_MOUNTED);
}

static __inline ULONG EventWriteVOLUME_MOUNTED(
    const GUID *VolumeId,
    PCWSTR Label,
    PCSTR FileSystem,
    const FILETIME *MountTime,
    UCHAR Bus,
    BOOL ReadOnly,
    USHORT SectorSize,
    ULONGLONG Capacity)
{
    EVENT_DATA_DESCRIPTOR EventData[8];

    EventDataDescCreate(&EventData[0], VolumeId, sizeof(GUID));
    storage_events_etw_ustr(&EventData[1], Label);
    storage_events_etw_astr(&EventData[2], FileSystem);
    EventDataDescCreate(&EventData[3], MountTime, sizeof(FILETIME));
    EventDataDescCreate(&EventData[4], &Bus, sizeof(Bus));
    EventDataDescCreate(&EventData[5], &ReadOnly, sizeof(ReadOnly));
    EventDataDescCreate(&EventData[6], &SectorSize, sizeof(SectorSize));
    EventDataDescCreate(&EventData[7], &Capacity, sizeof(Capacity));
    return EventWriteTransfer(ContosoStorageDriverHandle, &VOLUME_MOUNTED,
                              NULL, NULL, 8, EventData);
}

/*
 * IO_COMPLETED
 * A read or write request completed.
 */
static __inline BOOLEAN EventEnabledIO_COMPLETED(void)
{
    return EventEnabled(ContosoStorageDriverHandle, &IO_COMPLETED);
}

static __inline ULONG EventWriteIO_COMPLETED(
    const void *Request,
    const void *Device,
    LONGLONG Offset,
    SIZE_T Length,
    FLOAT LatencyMs,
    USHORT Status,
    UCHAR QueueDepth,
    ULONG Flags,
    DOUBLE Score,
    ULONGLONG Tag)
{
    EVENT_DATA_DESCRIPTOR EventData[10];

    EventDataDescCreate(&EventData[0], &Request, sizeof(Request));
    EventDataDescCreate(&EventData[1], &Device, sizeof(Device));
    EventDataDescCreate(&EventData[2], &Offset, sizeof(Offset));
    EventDataDescCreate(&EventData[3], &Length, sizeof(Length));
    EventDataDescCreate(&EventData[4], &LatencyMs, sizeof(LatencyMs));
    EventDataDescCreate(&EventData[5], &Status, sizeof(Status));
    EventDataDescCreate(&EventData[6], &QueueDepth, sizeof(QueueDepth));
    EventDataDescCreate(&EventData[7], &Flags, sizeof(Flags));
    EventDataDescCreate(&EventData[8], &Score, sizeof(Score));
    EventDataDescCreate(&EventData[9], &Tag, sizeof(Tag));
    return EventWriteTransfer(ContosoStorageDriverHandle, &IO_COMPLETED,
                              NULL, NULL, 10, EventData);
}

/*
 * IO_FAILED
 * A request failed; the sense data explains why.
 */
static __inline BOOLEAN EventEnabledIO_FAILED(void)
{
    return EventEnabled(ContosoStorageDriverHandle, &IO_FAILED);
}

static __inline ULONG EventWriteIO_FAILED(
    const void *Request,
    LONG NtStatus,
    CHAR Retries,
    USHORT SenseLength,
    const BYTE *SenseData,
    const BYTE *Cdb,
    PCWSTR Path)
{
    EVENT_DATA_DESCRIPTOR EventData[7];

    EventDataDescCreate(&EventData[0], &Request, sizeof(Request));
    EventDataDescCreate(&EventData[1], &NtStatus, sizeof(NtStatus));
    EventDataDescCreate(&EventData[2], &Retries, sizeof(Retries));
    EventDataDescCreate(&EventData[3], &SenseLength, sizeof(SenseLength));
    EventDataDescCreate(&EventData[4], SenseData, (ULONG)SenseLength);
    EventDataDescCreate(&EventData[5], Cdb, 16);
    storage_events_etw_ustr(&EventData[6], Path);
    return EventWriteTransfer(ContosoStorageDriverHandle, &IO_FAILED,
                              NULL, NULL, 7, EventData);
}

/*
 * CACHE_STATS
 * Cache statistics, written periodically.
 */
static __inline BOOLEAN EventEnabledCACHE_STATS(void)
{
    return EventEnabled(ContosoStorageDriverHandle, &CACHE_STATS);
}

static __inline ULONG EventWriteCACHE_STATS(
    ULONG Hits,
    ULONG Misses,
    USHORT Evictions,
    UCHAR Dirty,
    SHORT Delta,
    BOOL Enabled)
{
    EVENT_DATA_DESCRIPTOR EventData[6];

    EventDataDescCreate(&EventData[0], &Hits, sizeof(Hits));
    EventDataDescCreate(&EventData[1], &Misses, sizeof(Misses));
    EventDataDescCreate(&EventData[2], &Evictions, sizeof(Evictions));
    EventDataDescCreate(&EventData[3], &Dirty, sizeof(Dirty));
    EventDataDescCreate(&EventData[4], &Delta, sizeof(Delta));
    EventDataDescCreate(&EventData[5], &Enabled, sizeof(Enabled));
    return EventWriteTransfer(ContosoStorageDriverHandle, &CACHE_STATS,
                              NULL, NULL, 6, EventData);
}

#ifdef __cplusplus
}
#endif

#endif /* STORAGE_EVENTS_ETW_H */
