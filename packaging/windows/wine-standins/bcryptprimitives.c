/*
 * Test-harness stand-in for Windows' system bcryptprimitives.dll. NEVER SHIPPED: it is built and
 * used only to run the Windows bundle under Wine 8, which has no bcryptprimitives.dll. Rust's
 * standard library (inside cryptography's _rust.pyd) imports ProcessPrng from it, the documented
 * way to get random bytes on Windows 10 and later. Here it is answered by RtlGenRandom
 * (SystemFunction036 in advapi32), which Wine implements with the host's random source.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

/* Like the real one it always succeeds: Rust treats a failure here as fatal. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            ExitProcess(0xC0000001); /* STATUS_UNSUCCESSFUL: better than bytes that are not random */
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
