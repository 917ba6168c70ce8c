import Foundation
import LSL

// The mosquito LSL outlet alone, pushing synthetic samples, for Benchmarks/lsl/lsl_bench.py: the same outlet
// `mosquito … --lsl` uses, without a device or the bridge in front, so the benchmark measures the outlet and its
// peer, liblsl's outlet, gets the same load. Prints "ready" once an inlet is streaming; ends on stdin's end.
//
//   lsl-outlet-bench NAME CHANNELS flood CHUNK       push CHUNK-sample chunks as fast as the slowest inlet takes them
//   lsl-outlet-bench NAME CHANNELS paced RATE CHUNK  push CHUNK samples every CHUNK/RATE s, stamped at the push
//   (nominal rate: 1,000,000 for flood, RATE for paced; float32; each inlet may queue up to 1,000,000 samples)

let arguments = CommandLine.arguments
guard arguments.count >= 5, let channels = Int(arguments[2]), channels > 0 else {
    FileHandle.standardError.write(Data("usage: lsl-outlet-bench NAME CHANNELS flood CHUNK | paced RATE CHUNK\n".utf8))
    exit(2)
}
let name = arguments[1], mode = arguments[3]
let flood = mode == "flood"
let rate = flood ? 1_000_000.0 : Double(arguments[4]) ?? 0
let chunk = Int(arguments[flood ? 4 : 5]) ?? 0
guard rate > 0, chunk > 0 else { exit(2) }

let stdinClosed = DispatchSemaphore(value: 0)
Thread.detachNewThread {
    while readLine() != nil {}
    stdinClosed.signal()
}

let info = try LSLStreamInfo(name: name, type: "Bench", channelCount: channels, nominalRate: rate, channelFormat: .float32, sourceID: name)
let outlet = try await LSLOutlet.open(info, config: LSLConfig.load(), options: LSLOutletOptions(maxQueuedSamplesPerInlet: 1_000_000))
try await outlet.waitForConsumers()
FileHandle.standardOutput.write(Data("ready\n".utf8))

/// The push loop, off the main actor (top-level code runs on it, and its executor checks would be measured too).
func push(_ outlet: LSLOutlet, flood: Bool, rate: Double, chunk: Int, channels: Int, until stop: DispatchSemaphore) async throws {
    let values = LSLSamples.float32((0..<(chunk * channels)).map { Float($0 % 997) })
    var next: UInt64 = 0
    let start = LSLClock.now()
    var deadline = DispatchTime.now().uptimeNanoseconds
    while stop.wait(timeout: .now()) == .timedOut {
        let indices = (next..<next + UInt64(chunk)).map { $0 }
        if flood {
            // Backpressure instead of drops: what is measured is what the inlets take, not what the queues discard.
            // Every 100 pushes the outlet's loop must have queued them (pushes in flight count against the queue too).
            if next % UInt64(100 * chunk) == 0 { await outlet.waitForPushesQueued() }
            while outlet.inlets.contains(where: { $0.connected && $0.samplesQueued > 500_000 }) { usleep(100) }
            try outlet.push(values, timestamps: indices.map { start + Double($0) / rate }, indices: indices)
        } else {
            deadline += UInt64(Double(chunk) / rate * 1e9)
            let now = DispatchTime.now().uptimeNanoseconds
            if deadline > now { usleep(UInt32((deadline - now) / 1000)) }
            let stamp = LSLClock.now()
            try outlet.push(values, timestamps: (0..<chunk).map { stamp - Double(chunk - 1 - $0) / rate }, indices: indices)
        }
        next += UInt64(chunk)
    }
}

try await push(outlet, flood: flood, rate: rate, chunk: chunk, channels: channels, until: stdinClosed)
for i in outlet.inlets {
    FileHandle.standardError.write(Data("inlet \(i.id): sent \(i.samplesSent), dropped \(i.samplesDropped)\n".utf8))
}
await outlet.close()
