import Foundation
import Testing

@testable import Archive

/// The archive's one HTTP client (back-fill from an edge's `serve` API) against canned answers: every body framing
/// HTTP/1.1 allows, the headers the archive reads, and each way a request fails as one readable reason.
@Suite struct EdgeHTTPTests {
    private func get(_ server: CannedHTTPServer, timeout: Double = 30) throws(EdgeHTTP.Failure) -> EdgeHTTP.Response {
        try EdgeHTTP.get(
            URL(string: "http://127.0.0.1:\(server.port)/api/recordings/run%201.h5/rows?device=EDGE-A&from=5")!,
            headers: [("Authorization", "Bearer mq_secret")], timeout: timeout)
    }

    @Test func chunkedBodyAndItsHeadersAndTheRequestAsSent() throws {
        let server = try CannedHTTPServer(
            reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Mosquito-Last-Index: 41\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        let answer = try get(server)
        #expect(answer.status == 200)
        #expect(String(decoding: answer.body, as: UTF8.self) == "hello world")
        #expect(answer.header("x-mosquito-last-index") == "41")
        let request = server.received
        #expect(request.hasPrefix("GET /api/recordings/run%201.h5/rows?device=EDGE-A&from=5 HTTP/1.1\r\n"), "\(request)")
        #expect(request.contains("Host: 127.0.0.1:\(server.port)\r\n"), "\(request)")
        #expect(request.contains("Authorization: Bearer mq_secret\r\n"), "\(request)")
    }

    @Test func bodyByContentLengthAndBodyUntilTheClose() throws {
        let sized = try CannedHTTPServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 4\r\nX-Mosquito-Closed: true\r\n\r\nrows")
        let a = try get(sized)
        #expect(String(decoding: a.body, as: UTF8.self) == "rows")
        #expect(a.header("X-Mosquito-Closed") == "true")
        let unsized = try CannedHTTPServer(reply: "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it")
        #expect(String(decoding: try get(unsized).body, as: UTF8.self) == "all of it")
    }

    @Test func aBodyCutShortIsAFailureNotRows() throws {
        let server = try CannedHTTPServer(reply: "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
        #expect(throws: EdgeHTTP.Failure.self) { try get(server) }
    }

    /// A non-2xx status is one reason naming the route, the status and the edge's own message.
    @Test func anErrorStatusSaysWhyInTheEdgesWords() throws {
        let body = #"{"error":true,"message":"no recording run.h5"}"#
        let server = try CannedHTTPServer(
            reply: "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(Self.failure(fetchingFrom: "http://127.0.0.1:\(server.port)/")
                == "http://127.0.0.1:\(server.port)/api/recordings/run.h5/rows: HTTP 404 (no recording run.h5)")
    }

    @Test func nobodyListeningIsRefused() throws {
        let port = try TestBroker.freePort()
        #expect(Self.failure(fetchingFrom: "http://127.0.0.1:\(port)") == "127.0.0.1: Connection refused")
    }

    /// Why fetching rows of `run.h5` from the edge at `api` failed; nil if it gave rows.
    private static func failure(fetchingFrom api: String) -> String? {
        let source = EdgeSource(api: api, recording: "run.h5", serial: "EDGE-A")
        do throws(EdgeRows.Failure) {
            _ = try EdgeRows.fetch(source, from: 0, count: 10, token: "mq_secret")
            return nil
        } catch {
            return error.description
        }
    }

    /// An edge that accepts and never answers costs the deadline, not a hung archive.
    @Test func aSilentEdgeCostsTheDeadline() throws {
        let server = try CannedHTTPServer(reply: nil)
        do throws(EdgeHTTP.Failure) {
            _ = try get(server, timeout: 0.5)
            Issue.record("a silent server answered")
        } catch {
            #expect(error.reason == "no answer within 0.5 s")
        }
    }

    @Test func onlyHTTPAndHTTPSAreFetched() {
        #expect(throws: EdgeHTTP.Failure.self) {
            try EdgeHTTP.get(URL(string: "ftp://127.0.0.1/x")!, headers: [], timeout: 1)
        }
    }
}
