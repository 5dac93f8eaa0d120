/*
 * Wine 8 has no bcryptprimitives.dll, whose ProcessPrng the Rust standard library calls at
 * start-up on Windows, so every Windows test binary fails to load under it (c0000135).
 * This stand-in, placed in the Wine prefix only, forwards to advapi32's RtlGenRandom.
 * It is never shipped: real Windows has the real DLL.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x7fffffff ? 0x7fffffff : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
