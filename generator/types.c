/*
 * types.c - the generic field type system: for each type, its size, its
 * manifest in/out types, the C type the generated code stores it in, the
 * Windows type the docs show, and the codec name templates branch on.
 */
#include "model.h"

#include <string.h>

/* clang-format off: one row per type reads better as a table */
const struct eg_type_info eg_types[EG_T_COUNT] = {
    /* name, size, signed, integer, inType, outType, C type, Windows type, codec
     */
    [EG_T_INT8] = {"int8", 1, 1, 1, "win:Int8", NULL, "int8_t", "CHAR", "i8"},
    [EG_T_INT16] = {"int16", 2, 1, 1, "win:Int16", NULL, "int16_t", "SHORT",
                    "i16"},
    [EG_T_INT32] = {"int32", 4, 1, 1, "win:Int32", NULL, "int32_t", "LONG",
                    "i32"},
    [EG_T_INT64] = {"int64", 8, 1, 1, "win:Int64", NULL, "int64_t", "LONGLONG",
                    "i64"},
    [EG_T_UINT8] = {"uint8", 1, 0, 1, "win:UInt8", NULL, "uint8_t", "UCHAR",
                    "u8"},
    [EG_T_UINT16] = {"uint16", 2, 0, 1, "win:UInt16", NULL, "uint16_t",
                     "USHORT", "u16"},
    [EG_T_UINT32] = {"uint32", 4, 0, 1, "win:UInt32", NULL, "uint32_t", "ULONG",
                     "u32"},
    [EG_T_UINT64] = {"uint64", 8, 0, 1, "win:UInt64", NULL, "uint64_t",
                     "ULONGLONG", "u64"},
    [EG_T_HEX8] = {"hex8", 1, 0, 1, "win:UInt8", "win:HexInt8", "uint8_t",
                   "UCHAR", "u8"},
    [EG_T_HEX16] = {"hex16", 2, 0, 1, "win:UInt16", "win:HexInt16", "uint16_t",
                    "USHORT", "u16"},
    [EG_T_HEX32] = {"hex32", 4, 0, 1, "win:HexInt32", NULL, "uint32_t", "ULONG",
                    "u32"},
    [EG_T_HEX64] = {"hex64", 8, 0, 1, "win:HexInt64", NULL, "uint64_t",
                    "ULONGLONG", "u64"},
    [EG_T_POINTER] = {"pointer", 0, 0, 0, "win:Pointer", NULL, "uint64_t",
                      "PVOID", "ptr"},
    [EG_T_SIZE] = {"size", 0, 0, 1, "win:Pointer", "xs:unsignedLong",
                   "uint64_t", "SIZE_T", "ptr"},
    [EG_T_BOOL] = {"bool", 4, 0, 0, "win:Boolean", NULL, "int32_t", "BOOL",
                   "bool"},
    [EG_T_FLOAT] = {"float", 4, 1, 0, "win:Float", NULL, "float", "FLOAT",
                    "f32"},
    [EG_T_DOUBLE] = {"double", 8, 1, 0, "win:Double", NULL, "double", "DOUBLE",
                     "f64"},
    [EG_T_GUID] = {"guid", 16, 0, 0, "win:GUID", NULL, "uint8_t", "GUID",
                   "guid"},
    [EG_T_FILETIME] = {"filetime", 8, 0, 0, "win:FILETIME", NULL, "uint64_t",
                       "FILETIME", "u64"},
    [EG_T_USTRING] = {"unicode_string", -1, 0, 0, "win:UnicodeString", NULL,
                      "uint16_t", "LPCWSTR", "ustr"},
    [EG_T_ASTRING] = {"ansi_string", -1, 0, 0, "win:AnsiString", NULL, "char",
                      "LPCSTR", "astr"},
    [EG_T_BINARY] = {"binary", -1, 0, 0, "win:Binary", NULL, "uint8_t",
                     "BYTE[]", "bin"},
};
/* clang-format on */

int eg_field_size(const struct eg_field *f, int p)
{
    int size = eg_types[f->type].size;
    if (size == 0)
        return p;
    if (f->type == EG_T_BINARY && f->length_const >= 0)
        return (int)f->length_const;
    return size;
}

const char *eg_level_name(int level)
{
    static const char *const names[] = {"always",  "critical",      "error",
                                        "warning", "informational", "verbose"};
    return level >= 0 && level <= 5 ? names[level] : "?";
}

const char *eg_level_manifest(int level)
{
    static const char *const names[] = {"win:LogAlways",     "win:Critical",
                                        "win:Error",         "win:Warning",
                                        "win:Informational", "win:Verbose"};
    return level >= 0 && level <= 5 ? names[level] : "?";
}
