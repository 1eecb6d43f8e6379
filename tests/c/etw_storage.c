/*
 * etw_storage.c - compile-and-link check of the storage schema's Windows
 * provider wrapper, whose events take every field type: GUID, strings,
 * FILETIME, binary with a length field and with a fixed length, floats,
 * pointers and sizes.
 */
#include "storage_events_etw.h"

int main(void)
{
    static const BYTE sense[3] = {0x70, 0x00, 0x05}, cdb[16] = {0x28};
    GUID volume = {0x01234567, 0x89ab, 0xcdef,
                   {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
    FILETIME when = {0, 0};
    ULONG error = EventRegisterContosoStorageDriver();

    if (EventEnabledVOLUME_MOUNTED())
        error |= EventWriteVOLUME_MOUNTED(&volume, L"Data", "NTFS", &when, 2,
                                          TRUE, 512, 1000000000000ull);
    error |= EventWriteVOLUME_MOUNTED(&volume, NULL, NULL, &when, 9, FALSE,
                                      4096, 0);
    error |= EventWriteIO_COMPLETED(&when, &volume, -4096, 65536, 1.5f,
                                    0x8000, 7, 0x10002, 0.1,
                                    0xDEADBEEFCAFEF00Dull);
    error |= EventWriteIO_FAILED(&when, (LONG)0xC0000185, -3, sizeof(sense),
                                 sense, cdb, L"D:\\v");
    error |= EventWriteCACHE_STATS(1000, 0xFFFFFFFFu, 0xBEEF, 0x80, -32768,
                                   FALSE);
    error |= EventUnregisterContosoStorageDriver();
    return error != 0;
}
