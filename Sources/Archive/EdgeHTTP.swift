import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One HTTP/1.1 GET on SwiftNIO, for an edge's rows API. Not URLSession: FoundationNetworking would make every
/// `mosquito` process (`record` too) map libcurl and the TLS and network libraries it needs. `http` and `https`
/// (an edge behind a TLS proxy, `serve --advertise-url`); a body by Content-Length, chunked, or until the close.
enum EdgeHTTP {
    struct Response {
        var status: Int
        var body: [UInt8]
        fileprivate var headers: HTTPHeaders

        func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// Why a request got no answer, in a few words (the caller names the edge).
    struct Failure: Error {
        var reason: String
    }

    /// Blocks its caller, which must not be an event loop thread, for at most `timeout` seconds in all: connecting,
    /// the TLS handshake and the whole answer.
    static func get(_ url: URL, headers: [(String, String)], timeout: Double) throws(Failure) -> Response {
        guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false),
            let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = parts.host, !host.isEmpty
        else { throw Failure(reason: "only http:// and https:// URLs can be fetched") }
        let tls: NIOSSLContext?
        do { tls = scheme == "https" ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil } catch {
            throw Failure(reason: "TLS setup: \(error)")
        }
        var head = HTTPRequestHead(
            version: .http1_1, method: .GET,
            uri: (parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath)
                + (parts.percentEncodedQuery.map { "?" + $0 } ?? ""))
        let literal = host.contains(":") ? "[\(host)]" : host
        head.headers.add(name: "Host", value: parts.port.map { "\(literal):\($0)" } ?? literal)
        head.headers.add(name: "Connection", value: "close")
        for (name, value) in headers { head.headers.add(name: name, value: value) }

        let limit = TimeAmount.nanoseconds(Int64(max(0, min(timeout, 3600)) * 1e9))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answer = loop.makePromise(of: Response.self)
        let deadline = loop.scheduleTask(in: limit) { answer.fail(Failure(reason: "no answer within \(timeout) s")) }
        let request = head
        let channel = ClientBootstrap(group: loop)
            .connectTimeout(limit)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        // SNI carries names only; an address is checked against the certificate's IP entries.
                        let name = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(answer: answer))
                }
            }
            .connect(host: host, port: parts.port ?? (tls == nil ? 80 : 443))
        channel.whenFailure { answer.fail($0) }
        channel.whenSuccess { channel in
            channel.write(HTTPClientRequestPart.head(request), promise: nil)
            channel.writeAndFlush(HTTPClientRequestPart.end(nil)).whenFailure { answer.fail($0) }
        }
        answer.futureResult.whenComplete { _ in
            deadline.cancel()
            channel.whenSuccess { $0.close(promise: nil) }
        }
        do { return try answer.futureResult.wait() } catch { throw Failure(reason: readable(error)) }
    }

    /// NIO's errors name file descriptors and addresses; the archive's stderr line wants the reason.
    private static func readable(_ error: any Error) -> String {
        switch error {
        case let failure as Failure: return failure.reason
        case let connection as NIOConnectionError:
            guard let first = connection.connectionErrors.first else { return "cannot resolve \(connection.host)" }
            return readable(first.error)
        case let io as IOError: return String(cString: strerror(io.errnoCode))
        case ChannelError.connectTimeout: return "no connection within the time allowed"
        case let parse as HTTPParserError: return "not an HTTP answer, or one cut short (\(parse))"
        case let tls as NIOSSLError: return "TLS: \(tls)"
        case let tls as BoringSSLError: return "TLS: \(tls)"
        default: return "\(error)"
        }
    }
}

/// Gathers one response and completes `answer` with it; a connection that closes or fails first fails it.
private final class ResponseCollector: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart

    private let answer: EventLoopPromise<EdgeHTTP.Response>
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []

    init(answer: EventLoopPromise<EdgeHTTP.Response>) { self.answer = answer }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body(let part): body.append(contentsOf: part.readableBytesView)
        case .end:
            guard let head else { return }
            answer.succeed(EdgeHTTP.Response(status: Int(head.status.code), body: body, headers: head.headers))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        answer.fail(error)
        context.close(promise: nil)
    }

    // After a complete answer this changes nothing: a promise keeps its first result.
    func channelInactive(context: ChannelHandlerContext) {
        answer.fail(EdgeHTTP.Failure(reason: "the connection closed before the answer was complete"))
        context.fireChannelInactive()
    }
}
