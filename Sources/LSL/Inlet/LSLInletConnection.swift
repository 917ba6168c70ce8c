/// A minimal inlet: asks an outlet for its stream feed (protocol 110, as liblsl's data_receiver asks), checks the
/// reply, skips the two test patterns, and hands out samples as text with their stamps on the outlet's clock.
/// Blocking; one thread reads it.
public final class LSLInletConnection {
    public let stream: LSLResolvedStream
    private let socket: LSLTCPSocket
    private var decoder: LSLFeedDecoder
    private var buffer: [UInt8] = []
    private var offset = 0
    private var patternsLeft = LSLTestPattern.patterns.count

    public init(_ stream: LSLResolvedStream, timeout: Double = 5) throws(LSLFeedError) {
        guard let format = LSLChannelFormat(rawValue: stream.channelFormat), stream.channelCount >= 1 else {
            throw LSLFeedError(description: "\(stream.name): unreadable format \(stream.channelFormat) × \(stream.channelCount)")
        }
        self.stream = stream
        socket = try LSLTCPSocket(host: stream.address, port: stream.v4DataPort, timeout: timeout)
        // liblsl sends sizeof(std::string) as a string stream's value size; outlets check it only for numbers.
        let valueSize = format == .string ? 32 : format.valueSize
        try socket.send(
            "LSL:streamfeed/110 \(stream.uid)\r\nNative-Byte-Order: 1234\r\nEndian-Performance: 0\r\n"
                + "Has-IEEE754-Floats: 1\r\nSupports-Subnormals: 1\r\nValue-Size: \(valueSize)\r\n"
                + "Data-Protocol-Version: 110\r\nMax-Buffer-Length: 360\r\nMax-Chunk-Length: 0\r\nHostname: mosquito\r\n\r\n")
        var header: [UInt8] = []
        let end = Array("\r\n\r\n".utf8)
        while true {
            guard let more = socket.receive(timeout: timeout), !more.isEmpty else {
                throw LSLFeedError(description: "\(stream.name): no stream-feed reply")
            }
            header += more
            if let cut = Self.find(end, in: header) {
                buffer = Array(header[(cut + end.count)...])
                header = Array(header[..<cut])
                break
            }
            if header.count > 1 << 16 { throw LSLFeedError(description: "\(stream.name): stream-feed reply without an end") }
        }
        let text = String(decoding: header, as: UTF8.self)
        let status = text.split(separator: "\r\n").first.map(String.init) ?? ""
        guard status.hasPrefix("LSL/110 200") else { throw LSLFeedError(description: "\(stream.name): outlet said \"\(status)\"") }
        let bigEndian = text.lowercased().contains("byte-order: 4321")
        decoder = LSLFeedDecoder(format: format, channels: stream.channelCount, nominalRate: stream.nominalRate, bigEndian: bigEndian)
    }

    /// The next sample, waiting up to `timeout` seconds for it (nil if none came). Throws once the outlet is gone.
    public func next(timeout: Double) throws(LSLFeedError) -> LSLFeedDecoder.Sample? {
        while true {
            if let sample = try decoder.next(buffer, offset: &offset) {
                if offset > 1 << 16 { buffer.removeFirst(offset); offset = 0 }
                if patternsLeft > 0 { patternsLeft -= 1; continue }
                return sample
            }
            guard let more = socket.receive(timeout: timeout) else {
                throw LSLFeedError(description: "\(stream.name): the outlet closed the stream")
            }
            if more.isEmpty { return nil }
            buffer += more
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
        return nil
    }
}
