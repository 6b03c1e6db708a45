#include <immintrin.h>
#include <stdint.h>
#include <math.h>
/* The stores can be swapped for layout_probe.c (non-temporal variants); by default they are plain unaligned stores. */
#ifndef PEARSON_BAND
#define PEARSON_BAND pearson_band
#endif
#ifndef STORE_CORR
#define STORE_CORR _mm256_storeu_ps
#endif
#ifndef STORE_PS
#define STORE_PS _mm256_storeu_ps
#endif
#ifndef STORE_SI256
#define STORE_SI256 _mm256_storeu_si256
#endif
#ifndef STORE_FLAGS
#define STORE_FLAGS(p, v) (*(uint64_t*)(p) = (v))
#endif
/*
 * Yardstick for StxmPhase's Pearson kernel (src/StxmPhase.Correlation/PearsonKernel.cs): the same algorithm, data
 * layout and outputs, hand-written with AVX2 intrinsics for exactly 5 references, so that the .NET kernel can be timed
 * against C in one process, on the same buffers, band by band from the same Parallel.For (Program.cs).
 *   x     energy-major stack, E planes of n floats
 *   refs  centred, L2-normalised references, E rows of 8 floats (references 0..4 used)
 *   outputs as CorrelationBuffers: 5 correlation planes of n floats, labels, second labels, Q1, Q2, R, ambiguous
 *           flags (0/1) and status (0 valid, 2 invalid; no mask here)
 * Pixels [start, end); end - start must be a multiple of 8 (the bands are 16384 pixels; use sizes whose pixel count is
 * a multiple of 8). Build: gcc -O3 -march=native -shared -fPIC pearson_avx2.c -o libpearson_avx2.so
 */
void PEARSON_BAND(const float* x, long n, const float* refs /* [E][8] grouped */, int E, float thr,
          float* corr, int* lab, int* lab2, float* best, float* sec, float* rel, uint8_t* amb, uint8_t* st,
          long start, long end)
{
    const __m256 zero = _mm256_setzero_ps(), one = _mm256_set1_ps(1.f), m1 = _mm256_set1_ps(-1.f);
    for (long i = start; i < end; i += 8) {
        __m256 x0 = _mm256_loadu_ps(x + i);
        __m256 s = zero, ss = zero, d0 = zero, d1 = zero, d2 = zero, d3 = zero, d4 = zero;
        const float* p = x + i;
        for (int e = 1; e < E; e++) {
            p += n;
            _mm_prefetch((const char*)p + 2048, _MM_HINT_T0);
            __m256 y = _mm256_sub_ps(_mm256_loadu_ps(p), x0);
            s = _mm256_add_ps(s, y);
            ss = _mm256_fmadd_ps(y, y, ss);
            const float* r = refs + e * 8;
            d0 = _mm256_fmadd_ps(y, _mm256_broadcast_ss(r), d0);
            d1 = _mm256_fmadd_ps(y, _mm256_broadcast_ss(r + 1), d1);
            d2 = _mm256_fmadd_ps(y, _mm256_broadcast_ss(r + 2), d2);
            d3 = _mm256_fmadd_ps(y, _mm256_broadcast_ss(r + 3), d3);
            d4 = _mm256_fmadd_ps(y, _mm256_broadcast_ss(r + 4), d4);
        }
        __m256 s2 = _mm256_mul_ps(s, s);
        __m256 var = _mm256_max_ps(_mm256_sub_ps(ss, _mm256_mul_ps(s2, _mm256_set1_ps(1.f / E))), zero);
        __m256 sq = _mm256_fmadd_ps(x0, _mm256_fmadd_ps(_mm256_set1_ps((float)E), x0, _mm256_add_ps(s, s)), ss);
        __m256 probe = _mm256_add_ps(_mm256_add_ps(ss, s2), sq);
        __m256 ord = _mm256_cmp_ps(_mm256_sub_ps(probe, probe), zero, _CMP_EQ_OQ);
        __m256 cst = _mm256_cmp_ps(var, _mm256_mul_ps(_mm256_set1_ps(1e-12f), _mm256_max_ps(one, sq)), _CMP_LE_OQ);
        __m256 valid = _mm256_andnot_ps(cst, ord);
        __m256 scale = _mm256_div_ps(one, _mm256_sqrt_ps(var));
        __m256 d[5] = {d0, d1, d2, d3, d4};
        __m256 q1 = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(d0, scale), m1), one);
        STORE_CORR(corr + i, _mm256_and_ps(q1, valid));
        __m256 l1 = zero, q2 = _mm256_set1_ps(-INFINITY), l2 = m1;
        for (int j = 1; j < 5; j++) {
            __m256 rho = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(d[j], scale), m1), one);
            STORE_CORR(corr + j * n + i, _mm256_and_ps(rho, valid));
            __m256 idx = _mm256_set1_ps((float)j);
            __m256 g1 = _mm256_cmp_ps(rho, q1, _CMP_GT_OQ), g2 = _mm256_cmp_ps(rho, q2, _CMP_GT_OQ);
            q2 = _mm256_blendv_ps(_mm256_blendv_ps(q2, rho, g2), q1, g1);
            l2 = _mm256_blendv_ps(_mm256_blendv_ps(l2, idx, g2), l1, g1);
            q1 = _mm256_blendv_ps(q1, rho, g1);
            l1 = _mm256_blendv_ps(l1, idx, g1);
        }
        __m256 diff = _mm256_sub_ps(q1, q2);
        __m256 a = _mm256_and_ps(_mm256_cmp_ps(diff, _mm256_set1_ps(thr), _CMP_LT_OQ), valid);
        STORE_PS(best + i, _mm256_and_ps(q1, valid));
        STORE_PS(sec + i, _mm256_and_ps(q2, valid));
        STORE_PS(rel + i, _mm256_and_ps(_mm256_mul_ps(_mm256_set1_ps(100.f), diff), valid));
        STORE_SI256((__m256i*)(lab + i), _mm256_cvttps_epi32(_mm256_blendv_ps(m1, l1, valid)));
        STORE_SI256((__m256i*)(lab2 + i), _mm256_cvttps_epi32(_mm256_blendv_ps(m1, l2, valid)));
        unsigned am = _mm256_movemask_ps(a), vm = _mm256_movemask_ps(valid);
        uint64_t av = 0, sv = 0;
        for (int k = 0; k < 8; k++) { av |= (uint64_t)((am >> k) & 1) << (8 * k); sv |= (uint64_t)(((vm >> k) & 1) ? 0 : 2) << (8 * k); }
        STORE_FLAGS(amb + i, av); STORE_FLAGS(st + i, sv);
    }
}
