/*
 * Memory-layout probe for the Pearson kernel of pearson_avx2.c, in C with OpenMP (no .NET): how much the alignment of
 * the input and of the outputs, and non-temporal stores, change its speed from DRAM on this machine.
 *   gcc -O3 -march=native -fopenmp layout_probe.c -o layout_probe -lm
 *   OMP_NUM_THREADS=2 ./layout_probe SIDE REPS INPUT_OFFSET OUTPUT_OFFSET STORES
 * INPUT_OFFSET, OUTPUT_OFFSET: bytes added to 4 KiB-aligned allocations (0 = aligned; 16 = half the loads or stores of
 * 32-byte vectors split a cache line); STORES: plain, nt (every output non-temporal) or ntcorr (the five correlation
 * planes only). Prints the best and mean Mpx/s over REPS passes (the first two are not in the mean).
 * Used for docs/performance/correlation.md ("Same host, 13:35–14:12 UTC").
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "pearson_avx2.c"

#undef PEARSON_BAND
#undef STORE_CORR
#undef STORE_PS
#undef STORE_SI256
#undef STORE_FLAGS
#define PEARSON_BAND pearson_band_nt
#define STORE_CORR _mm256_stream_ps
#define STORE_PS _mm256_stream_ps
#define STORE_SI256 _mm256_stream_si256
#define STORE_FLAGS(p, v) _mm_stream_si64((long long*)(p), (long long)(v))
#include "pearson_avx2.c"

#undef PEARSON_BAND
#undef STORE_CORR
#undef STORE_PS
#undef STORE_SI256
#undef STORE_FLAGS
#define PEARSON_BAND pearson_band_ntcorr
#define STORE_CORR _mm256_stream_ps
#define STORE_PS _mm256_storeu_ps
#define STORE_SI256 _mm256_storeu_si256
#define STORE_FLAGS(p, v) (*(uint64_t*)(p) = (v))
#include "pearson_avx2.c"

typedef void (*band_fn)(const float*, long, const float*, int, float, float*, int*, int*, float*, float*, float*,
                        uint8_t*, uint8_t*, long, long);

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }

static void* alloc(size_t bytes, int offset)
{
    char* p;
    if (posix_memalign((void**)&p, 4096, bytes + 4096) != 0) { perror("posix_memalign"); exit(1); }
    memset(p, 0, bytes + 4096);
    return p + offset;
}

int main(int argc, char** argv)
{
    if (argc != 6) { fprintf(stderr, "usage: %s SIDE REPS INPUT_OFFSET OUTPUT_OFFSET plain|nt|ntcorr\n", argv[0]); return 2; }
    long side = atol(argv[1]), n = side * side;
    int reps = atoi(argv[2]), in_off = atoi(argv[3]), out_off = atoi(argv[4]);
    band_fn band = strcmp(argv[5], "nt") == 0 ? pearson_band_nt : strcmp(argv[5], "ntcorr") == 0 ? pearson_band_ntcorr : pearson_band;
    const int E = 13;
    const long B = 16384;
    if (n % B != 0 || reps < 3) { fprintf(stderr, "SIDE² must be a multiple of 16384 and REPS at least 3\n"); return 2; }
    float* x = alloc(n * E * sizeof(float), in_off);
    for (long i = 0; i < n * E; i++) x[i] = 1.0f + (float)((i * 2654435761u) % 1000) / 1000.f;
    float refs[13 * 8];
    for (int e = 0; e < E; e++) for (int j = 0; j < 8; j++) refs[e * 8 + j] = sinf(e * 0.7f + j);
    float* corr = alloc(n * 5 * sizeof(float), out_off);
    int* lab = alloc(n * sizeof(int), out_off);
    int* lab2 = alloc(n * sizeof(int), out_off);
    float* best = alloc(n * sizeof(float), out_off);
    float* sec = alloc(n * sizeof(float), out_off);
    float* rel = alloc(n * sizeof(float), out_off);
    uint8_t* amb = alloc(n, out_off);
    uint8_t* st = alloc(n, out_off);
    double top = 0, total = 0;
    for (int r = 0; r < reps; r++) {
        double t0 = now();
        #pragma omp parallel for schedule(static)
        for (long b = 0; b < n / B; b++)
            band(x, n, refs, E, 0.005f, corr, lab, lab2, best, sec, rel, amb, st, b * B, (b + 1) * B);
        double t = now() - t0;
        if (n / t / 1e6 > top) top = n / t / 1e6;
        if (r >= 2) total += t;
    }
    printf("%ld^2 input+%d output+%d %-6s best %.1f mean %.1f Mpx/s\n", side, in_off, out_off, argv[5], top,
           n * (double)(reps - 2) / total / 1e6);
    return 0;
}
