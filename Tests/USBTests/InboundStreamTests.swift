import Device
import Testing
@testable import USB

struct InboundStreamTests {
    @Test func bytesReceivedBeforeAFailureAreHandedOverFirst() throws {
        let stream = InboundStream(capacity: 16)
        [UInt8](1...10).withUnsafeBytes { stream.deliver($0) }
        stream.fail(.disconnected("unplugged"))
        stream.fail(.other("later failures do not replace the first"))
        var out = [UInt8](repeating: 0, count: 4)
        var got: [UInt8] = []
        while got.count < 10 {
            let n = try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 0) }
            got += out[0..<n]
        }
        #expect(got == Array(1...10))
        #expect(throws: TransportError.disconnected("unplugged")) {
            try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 0) }
        }
    }

    @Test func quietLinkTimesOutWithZeroAndClosedLinkThrows() throws {
        let stream = InboundStream()
        var out = [UInt8](repeating: 0, count: 8)
        #expect(try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 5) } == 0)
        stream.close()
        #expect(throws: TransportError.closed) { try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 5) } }
    }

    @Test func manyDeliveriesKeepOrderAcrossCompaction() throws {
        let stream = InboundStream(capacity: 64)
        var expected: [UInt8] = []
        var got: [UInt8] = []
        var out = [UInt8](repeating: 0, count: 37)
        for round in 0..<200 {
            let chunk = (0..<(round % 50 + 1)).map { UInt8(truncatingIfNeeded: round &* 7 &+ $0) }
            expected += chunk
            chunk.withUnsafeBytes { stream.deliver($0) }
            let n = try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 0) }
            got += out[0..<n]
        }
        while got.count < expected.count {
            let n = try out.withUnsafeMutableBytes { try stream.take(into: $0, timeoutMs: 0) }
            got += out[0..<n]
        }
        #expect(got == expected)
    }
}
