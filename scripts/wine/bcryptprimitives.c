/*
 * bcryptprimitives.dll for wine 8.0 (Debian 12), which lacks it: Rust's std
 * (1.78+) takes its random bytes from ProcessPrng there, and every Windows
 * from 10 on has it. Forwards to RtlGenRandom (advapi32's SystemFunction036).
 * scripts/setup-platforms.sh builds it with mingw-w64 into the wine prefix;
 * no package ships it.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!RtlGenRandom(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
