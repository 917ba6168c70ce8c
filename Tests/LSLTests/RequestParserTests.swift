import Testing
import TestSupport

@testable import LSL

/// The data port's request parser gets its bytes in whatever pieces TCP delivers: whole, one byte at a time, or
/// split at random. It answers "need more data" until the request is complete, and the same request in the end.
@Suite struct RequestParserTests {
    static let feed = "LSL:streamfeed/110 0f3e-uid\r\nNative-Byte-Order: 1234\r\nEndian-Performance: 2.7e+06\r\nHas-IEEE754-Floats: 1\r\nSupports-Subnormals: 1\r\nValue-Size: 4\r\nData-Protocol-Version: 110\r\nMax-Buffer-Length: 90000\r\nMax-Chunk-Length: 0\r\nHostname: lab-pc ; a comment\r\nSource-Id: MQ-7\r\nSession-Id: default\r\n\r\n"
    static let requests: [(String, LSLDataPortRequest)] = [
        ("LSL:shortinfo\r\nname='x' and type='EEG'\r\n", .shortinfo(query: "name='x' and type='EEG'")),
        ("LSL:fullinfo\r\n", .fullinfo),
        ("LSL:streamfeed\r\n", .unsupported("a protocol 1.00 stream feed (liblsl before 1.10)")),
        ("GET / HTTP/1.1\r\n", .unsupported("an unknown request line \"GET / HTTP/1.1\"")),
    ]

    func expectComplete(_ pieces: [[UInt8]], _ expected: LSLDataPortRequest) {
        var parser = LSLDataPortRequestParser()
        for (i, piece) in pieces.enumerated() {
            let outcome = parser.feed(piece)
            if i < pieces.count - 1 { #expect(outcome == .needMoreData, "piece \(i) of \(pieces.count)") }
            else { #expect(outcome == .request(expected)) }
        }
    }

    func expectedFeed() throws -> LSLDataPortRequest {
        let lines = Self.feed.split(separator: "\r\n").map(String.init)
        return .streamfeed(try LSLStreamFeedRequest(requestLine: lines[0], headerLines: Array(lines.dropFirst())))
    }

    @Test func wholeByteByByteAndRandomSplits() throws {
        var rng = SplitMix64(seed: 15)
        for (text, request) in Self.requests + [(Self.feed, try expectedFeed())] {
            let bytes = Array(text.utf8)
            expectComplete([bytes], request)
            expectComplete(bytes.map { [$0] }, request)
            for _ in 0..<50 {
                var pieces: [[UInt8]] = []
                var i = 0
                while i < bytes.count {
                    let n = Int(rng.next() % 7) + 1
                    pieces.append(Array(bytes[i..<min(bytes.count, i + n)]))
                    i += n
                }
                expectComplete(pieces, request)
            }
        }
    }

    @Test func headersAreReadAsLiblslReadsThem() throws {
        guard case .streamfeed(let r) = try expectedFeed() else { Issue.record(); return }
        #expect(r.version == 110 && r.uid == "0f3e-uid")
        #expect(r.headers["hostname"] == "lab-pc" && r.headers["max-buffer-length"] == "90000" && r.headers["source-id"] == "mq-7")
    }

    @Test func garbageIsBoundedAndNamed() {
        var parser = LSLDataPortRequestParser(maxBytes: 100)
        #expect(parser.feed([UInt8](repeating: 0x41, count: 100)) == .needMoreData)
        guard case .garbage = parser.feed([0x41]) else { Issue.record("101 bytes without a line end"); return }
        var versionless = LSLDataPortRequestParser()
        guard case .garbage = versionless.feed(Array("LSL:streamfeed/abc\r\n\r\n".utf8)) else { Issue.record(); return }
    }

    @Test func streamFeedNegotiation() throws {
        var info = Fixtures.info()
        info.uid = "0f3e-uid"
        func reply(_ lines: [String], version: String = "110 0f3e-uid") throws -> LSLStreamFeedReply {
            .negotiate(try LSLStreamFeedRequest(requestLine: "LSL:streamfeed/" + version, headerLines: lines), info: info)
        }
        #expect(try reply(["Max-Buffer-Length: 500", "Max-Chunk-Length: 7", "Supports-Subnormals: 0"]) == .accept(
            header: "LSL/110 200 OK\r\nUID: 0f3e-uid\r\nByte-Order: 1234\r\nSuppress-Subnormals: 1\r\nData-Protocol-Version: 110\r\n\r\n",
            maxBuffered: 500, maxChunk: 7))
        guard case .accept(_, 0, 0) = try reply([]) else { Issue.record("no Max-Buffer-Length means 0"); return }
        guard case .refuse("LSL/110 404 Not found", _) = try reply([], version: "110 other-uid") else { Issue.record(); return }
        guard case .refuse("LSL/110 505 Version not supported", _) = try reply([], version: "200") else { Issue.record(); return }
        guard case .refuse("LSL/110 505 Version not supported", _) = try reply(["Value-Size: 8"]) else { Issue.record(); return }
        guard case .refuse("LSL/110 505 Version not supported", _) = try reply(["Has-IEEE754-Floats: 0"]) else { Issue.record(); return }
        guard case .refuse("LSL/110 400 Bad request", _) = try reply(["Max-Buffer-Length: lots"]) else { Issue.record(); return }
        guard case .accept = try reply([], version: "110") else { Issue.record("a request without uid is served"); return }
    }

    @Test func datagrams() throws {
        #expect(try LSLDatagramRequest.parse(Array("LSL:shortinfo\r\nname='x'\r\n16580 1234567\r\n".utf8)).get()
            == .shortinfo(query: "name='x'", returnPort: 16580, queryID: "1234567"))
        #expect(try LSLDatagramRequest.parse(Array("LSL:timedata\r\n3 1234.5678901\r\n".utf8)).get() == .timedata(waveID: 3, t0: 1234.5678901))
        #expect((try? LSLDatagramRequest.parse(Array("LSL:shortinfo\r\nname='x'\r\n".utf8)).get()) == nil)
        #expect((try? LSLDatagramRequest.parse(Array("LSL:shortinfo\r\nq\r\n70000 1\r\n".utf8)).get()) == nil)
        #expect((try? LSLDatagramRequest.parse(Array("hello".utf8)).get()) == nil)
        #expect(LSLDatagramRequest.timedataReply(waveID: 3, t0: 1234.5678901, t1: 10.25, t2: 10.5) == " 3 1234.5678901 10.25 10.5")
    }
}

