import NIOCore

/// One push, encoded once for every inlet: each sample's value bytes, its wire stamp, whether an inlet that
/// received its predecessor may deduce its stamp, and its place in the outlet's sequence of samples.
final class LSLEncodedChunk: Sendable {
    let firstSequence: UInt64
    let stamps: [Double]
    let deducible: [Bool]
    private let values: ByteBuffer
    /// Where each sample's values lie in `values`: a fixed stride for numbers, offsets for strings.
    private let layout: Layout

    private enum Layout {
        case stride(Int)
        /// Sample i is `values[offsets[i]..<offsets[i + 1]]`.
        case offsets([Int])
    }

    var count: Int { stamps.count }

    init(firstSequence: UInt64, samples: LSLSamples, channels: Int, plan: LSLStampPlan) {
        self.firstSequence = firstSequence
        stamps = plan.wire
        deducible = plan.deducible
        var buffer = ByteBufferAllocator().buffer(capacity: max(samples.format.valueSize, 2) * samples.valueCount)
        if case .string = samples {
            var offsets = [0]
            offsets.reserveCapacity(plan.wire.count + 1)
            for i in 0..<plan.wire.count {
                LSLSampleEncoder.writeValues(sample: i, of: samples, channels: channels, into: &buffer)
                offsets.append(buffer.writerIndex)
            }
            layout = .offsets(offsets)
        } else {
            // Numbers are sample-major in memory exactly as on the wire: one copy for the whole push.
            LSLSampleEncoder.writeValues(samples: 0..<plan.wire.count, of: samples, channels: channels, into: &buffer)
            layout = .stride(samples.format.valueSize * channels)
        }
        values = buffer
    }

    func sequence(of i: Int) -> UInt64 { firstSequence &+ UInt64(i) }

    private func range(of i: Int) -> (start: Int, length: Int) {
        switch layout {
        case .stride(let s): (i * s, s)
        case .offsets(let o): (o[i], o[i + 1] - o[i])
        }
    }

    /// Writes sample i, deduced only if the inlet's previous sample was its predecessor in the stream.
    func write(sample i: Int, previousSent: UInt64?, into out: inout ByteBuffer) {
        if deducible[i], let previousSent, previousSent &+ 1 == sequence(of: i) {
            out.writeInteger(LSLSampleEncoder.deducedTag)
        } else {
            out.writeInteger(LSLSampleEncoder.transmittedTag)
            out.writeInteger(stamps[i].bitPattern, endianness: .host)
        }
        let (start, length) = range(of: i)
        _ = values.withUnsafeReadableBytes { out.writeBytes(UnsafeRawBufferPointer(rebasing: $0[start..<start + length])) }
    }

    /// Writes samples from `range.lowerBound` on, as many as fit in `maxBytes` (at least one), each deduced only
    /// if the inlet's previous sample was its predecessor; returns how many it wrote. Numbers go out in one pass
    /// over raw memory (tag, stamp, values per sample): this loop is the outlet's hot path.
    func write(samples range: Range<Int>, previousSent: UInt64?, maxBytes: Int, into out: inout ByteBuffer) -> Int {
        guard case .stride(let stride) = layout else {
            var n = 0, used = 0, previous = previousSent
            for i in range {
                if n > 0, used + maxEncodedSize(of: i) > maxBytes { break }
                let before = out.writerIndex
                write(sample: i, previousSent: previous, into: &out)
                used += out.writerIndex - before
                previous = sequence(of: i)
                n += 1
            }
            return n
        }
        let n = max(1, min(range.count, maxBytes / (9 + stride)))
        out.writeWithUnsafeMutableBytes(minimumWritableBytes: n * (9 + stride)) { to in
            values.withUnsafeReadableBytes { from in
                var at = 0, previous = previousSent
                for i in range.lowerBound..<range.lowerBound + n {
                    let sequence = sequence(of: i)
                    if deducible[i], let previous, previous &+ 1 == sequence {
                        to[at] = LSLSampleEncoder.deducedTag
                        at += 1
                    } else {
                        to[at] = LSLSampleEncoder.transmittedTag
                        to.storeBytes(of: stamps[i].bitPattern, toByteOffset: at + 1, as: UInt64.self)
                        at += 9
                    }
                    (to.baseAddress! + at).copyMemory(from: from.baseAddress! + i * stride, byteCount: stride)
                    at += stride
                    previous = sequence
                }
                return at
            }
        }
        return n
    }

    /// Bytes sample i takes on the wire at most (with its stamp).
    func maxEncodedSize(of i: Int) -> Int { 9 + range(of: i).length }
}
