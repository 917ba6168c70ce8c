/// Consistent Overhead Byte Stuffing (Cheshire–Baker), 254-byte blocks.
///
/// Encoded data never contains 0x00, so 0x00 can delimit frames and a receiver can resynchronise after any error.
public enum COBS {
    /// The most bytes encoding `count` bytes can produce (without the delimiter).
    public static func maxEncodedLength(_ count: Int) -> Int { count + count / 254 + 1 }

    /// Appends the COBS encoding of `input` to `output` (no delimiter).
    public static func encode(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var codeIndex = output.count
        output.append(0)
        var code: UInt8 = 1
        for byte in input {
            if byte == 0 {
                output[codeIndex] = code
                codeIndex = output.count
                output.append(0)
                code = 1
            } else {
                output.append(byte)
                code += 1
                if code == 0xFF {
                    output[codeIndex] = code
                    codeIndex = output.count
                    output.append(0)
                    code = 1
                }
            }
        }
        output[codeIndex] = code
    }

    public static func encode(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(maxEncodedLength(input.count))
        input.withUnsafeBytes { encode($0, into: &out) }
        return out
    }

    public enum DecodeError: Error, Equatable, Sendable {
        /// A code byte was zero (a delimiter inside a frame).
        case zeroByte
        /// A code byte pointed past the end of the encoded data.
        case blockPastEnd
        /// The decoded frame would exceed the destination's capacity.
        case tooLong
    }

    /// Decodes `input` (without its delimiter) into `output`, returning the decoded length.
    public static func decode(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) -> Result<Int, DecodeError> {
        var read = 0
        var written = 0
        let n = input.count
        while read < n {
            let code = Int(input[read])
            if code == 0 { return .failure(.zeroByte) }
            let runEnd = read + code
            if runEnd > n { return .failure(.blockPastEnd) }
            let run = code - 1
            if written + run > output.count { return .failure(.tooLong) }
            if run > 0 {
                let src = input.baseAddress! + read + 1
                if memchrZero(src, run) { return .failure(.zeroByte) }
                (output.baseAddress! + written).copyMemory(from: src, byteCount: run)
                written += run
            }
            read = runEnd
            // A zero follows every block shorter than 254 data bytes, except the last.
            if code != 0xFF && read < n {
                if written >= output.count { return .failure(.tooLong) }
                output[written] = 0
                written += 1
            }
        }
        return .success(written)
    }

    /// How many bytes past `capacity` `decodeZeroFree` may scribble on: its destination must be that much larger.
    static let decodeOverrun = 16

    /// The decoder's hot path. Same result as `decode` for input without 0x00 bytes, which is all a frame between
    /// delimiters can hold, so it skips the per-run zero search; and it copies each run in 16-byte words, over-reading
    /// within `input` and over-writing up to `decodeOverrun` bytes past the decoded data, because sample payloads
    /// hold a zero every few bytes and a per-run `memcpy` call would cost more than the bytes it moves.
    ///
    /// - Precondition: `input[0..<count]` holds no 0x00; `output` is writable for `capacity + decodeOverrun` bytes.
    @inline(__always)
    static func decodeZeroFree(
        _ input: UnsafeRawPointer, count n: Int, into output: UnsafeMutableRawPointer, capacity: Int
    ) -> Result<Int, DecodeError> {
        var read = 0
        var written = 0
        while read < n {
            let code = Int(input.load(fromByteOffset: read, as: UInt8.self))
            let run = code - 1
            let runEnd = read + code
            if runEnd > n { return .failure(.blockPastEnd) }
            if written + run > capacity { return .failure(.tooLong) }
            var from = input + read + 1
            var to = output + written
            if runEnd + 16 <= n {
                // Whole words: reads stay inside `input`, writes inside the overrun.
                let stop = to + run
                repeat {
                    to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                    (to + 8).storeBytes(of: (from + 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
                    from += 16
                    to += 16
                } while to < stop
            } else if run > 0 {
                to.copyMemory(from: from, byteCount: run)
            }
            written += run
            read = runEnd
            // A zero follows every block shorter than 254 data bytes, except the last.
            if code != 0xFF && read < n {
                if written >= capacity { return .failure(.tooLong) }
                output.storeBytes(of: 0, toByteOffset: written, as: UInt8.self)
                written += 1
            }
        }
        return .success(written)
    }

    public static func decode(_ input: [UInt8]) -> Result<[UInt8], DecodeError> {
        var out = [UInt8](repeating: 0, count: max(input.count, 1))
        let result = input.withUnsafeBytes { src in out.withUnsafeMutableBytes { decode(src, into: $0) } }
        return result.map { Array(out.prefix($0)) }
    }

    @inline(__always)
    private static func memchrZero(_ p: UnsafeRawPointer, _ count: Int) -> Bool {
        #if canImport(Glibc)
        return Glibc.memchr(p, 0, count) != nil
        #else
        return Darwin.memchr(p, 0, count) != nil
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
