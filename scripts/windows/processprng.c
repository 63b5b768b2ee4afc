/*
 * A stand-in bcryptprimitives.dll for wine (make smoke-windows).
 *
 * The Go runtime (1.22 and later) asks bcryptprimitives.dll for
 * ProcessPrng as it starts, and stops with "bcryptprimitives.dll not
 * found" when the DLL or the function is missing. Debian's wine 8.0 has
 * neither. This DLL gives ProcessPrng on top of advapi32's RtlGenRandom
 * (SystemFunction036), which wine has. It is copied into the test wine
 * prefix only, never shipped: real Windows (10 and later) has its own.
 *
 * Build: x86_64-w64-mingw32-gcc -shared -O2 -o bcryptprimitives.dll \
 *          processprng.c processprng.def -ladvapi32
 */
#include <windows.h>
#include <ntsecapi.h>

/*
 * ProcessPrng fills data with size random bytes and returns TRUE, as
 * Windows' own does (it never fails there). RtlGenRandom takes a ULONG
 * length, so a larger request is filled in pieces; should RtlGenRandom
 * fail, the process stops rather than run on with predictable bytes.
 */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	while (size > 0) {
		ULONG piece = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!RtlGenRandom(data, piece))
			ExitProcess(2);
		data += piece;
		size -= piece;
	}
	return TRUE;
}
