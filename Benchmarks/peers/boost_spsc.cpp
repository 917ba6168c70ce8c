// Peer harness: the same cross-thread hand-off as the "Ring cross-thread" benchmarks, through
// boost::lockfree::spsc_queue (Debian libboost-dev). One item = one frame of (index, device time,
// one int32 channel), like the Swift benchmarks' single-channel FrameRing.
#include <boost/lockfree/spsc_queue.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <thread>

struct Frame {
    uint64_t index;
    uint64_t device_time_ns;
    int32_t value;
};

using Queue = boost::lockfree::spsc_queue<Frame, boost::lockfree::capacity<4096>>;

static double single_element(uint64_t total) {
    static Queue queue;
    auto start = std::chrono::steady_clock::now();
    std::thread consumer([&] {
        uint64_t received = 0, sum = 0;
        Frame f;
        while (received < total) {
            if (queue.pop(f)) { sum += f.index; ++received; }
        }
        if (sum == 42) std::puts("");
    });
    for (uint64_t i = 0; i < total; ++i) {
        Frame f{i, i, 1};
        while (!queue.push(f)) {}
    }
    consumer.join();
    std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
    return total / s.count();
}

static double batched(uint64_t total, size_t batch) {
    static Queue queue;
    static Frame out[4096];
    Frame in[256];
    for (size_t i = 0; i < batch; ++i) in[i] = Frame{i, 0, 1};
    auto start = std::chrono::steady_clock::now();
    std::thread consumer([&] {
        uint64_t received = 0, sum = 0;
        while (received < total) {
            size_t n = queue.pop(out, 4096);
            if (n) { sum += out[0].index; received += n; }
        }
        if (sum == 42) std::puts("");
    });
    uint64_t sent = 0;
    while (sent < total) {
        size_t n = std::min<uint64_t>(batch, total - sent);
        size_t offset = 0;
        while (offset < n) offset += queue.push(in + offset, n - offset);
        sent += n;
    }
    consumer.join();
    std::chrono::duration<double> s = std::chrono::steady_clock::now() - start;
    return total / s.count();
}

int main(int argc, char** argv) {
    uint64_t total = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000000;
    int runs = argc > 2 ? std::atoi(argv[2]) : 3;
    double best_single = 0, best_batched = 0;
    for (int r = 0; r < runs; ++r) {
        best_single = std::max(best_single, single_element(total));
        best_batched = std::max(best_batched, batched(total, 256));
    }
    std::printf("boost::lockfree::spsc_queue single-element: %.0f items/s\n", best_single);
    std::printf("boost::lockfree::spsc_queue batched (256):  %.0f items/s\n", best_batched);
    return 0;
}
