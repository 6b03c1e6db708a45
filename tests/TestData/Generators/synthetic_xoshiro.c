/* Oracle for StxmPhase.Synthetic's Xoshiro256StarStar: the reference xoshiro256** next() and splitmix64 of
 * Blackman & Vigna (https://prng.di.unimi.it/, public domain), seeded as the C# class does (four splitmix64 outputs).
 * Build and run: gcc -O2 -o /tmp/xo synthetic_xoshiro.c && /tmp/xo
 * The printed values are pasted into tests/StxmPhase.Synthetic.Tests/SamplerTests.cs. */
#include <stdint.h>
#include <stdio.h>

static uint64_t s[4];
static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
uint64_t next(void) {
    const uint64_t result = rotl(s[1] * 5, 7) * 9;
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}
static uint64_t x; /* splitmix64 state */
uint64_t splitmix64(void) {
    uint64_t z = (x += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
}
int main(void) {
    uint64_t seeds[2] = {0, 123456789};
    for (int k = 0; k < 2; k++) {
        x = seeds[k];
        for (int i = 0; i < 4; i++) s[i] = splitmix64();
        printf("seed %llu:", (unsigned long long)seeds[k]);
        for (int i = 0; i < 5; i++) printf(" %lluUL,", (unsigned long long)next());
        printf("\n");
    }
    return 0;
}
