import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Hummingbird answers every WebSocket upgrade its router turns down with a bare `400` and no body, whatever
/// the route said. A client asking for an unknown device's stream should read 404, one without a token 401,
/// with the same JSON error as any other request. So the upgrade check (``UpgradeCheck``) keeps the route's
/// answer for the connection, and a handler on the connection's HTTP pipeline (``RefusedUpgradeWriter``),
/// which Hummingbird builds only when there is no upgrade, writes it in place of the bare 400.
final class RefusedUpgrades: Sendable {
    struct Answer: Sendable {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: ByteBuffer
    }

    private let answers = Mutex<[ObjectIdentifier: Answer]>([:])

    func keep(_ answer: Answer, for channel: any Channel) {
        let id = ObjectIdentifier(channel)
        answers.withLock { $0[id] = answer }
        // Gone with its connection, written or not.
        channel.closeFuture.whenComplete { _ in self.answers.withLock { _ = $0.removeValue(forKey: id) } }
    }

    func take(for channel: any Channel) -> Answer? {
        answers.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// The router as the WebSocket upgrade sees it: the same routes, with each refusal (a non-2xx answer) kept for
/// ``RefusedUpgradeWriter``.
struct UpgradeCheck: HTTPResponderBuilder {
    let router: Router<WebRequestContext>
    let refusals: RefusedUpgrades

    struct Responder: HTTPResponder {
        let routes: RouterResponder<WebRequestContext>
        let refusals: RefusedUpgrades

        func respond(to request: Request, context: WebRequestContext) async throws -> Response {
            let response = try await routes.respond(to: request, context: context)
            if !(200..<300).contains(response.status.code) {
                let collected = Collected()
                try await response.body.write(Collector(into: collected))
                refusals.keep(
                    .init(status: response.status, headers: response.headers, body: collected.buffer.withLock { $0 }),
                    for: context.channel)
            }
            return response
        }
    }

    func buildResponder() -> Responder { Responder(routes: router.buildResponder(), refusals: refusals) }

    final class Collected: Sendable {
        let buffer = Mutex(ByteBuffer())
    }

    struct Collector: ResponseBodyWriter {
        let into: Collected
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            into.buffer.withLock { _ = $0.writeBuffer(&buffer) }
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

/// On a connection whose upgrade was refused, replaces Hummingbird's bare 400 with the route's own answer.
/// On every other connection it passes everything through untouched.
final class RefusedUpgradeWriter: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let refusals: RefusedUpgrades
    private var answer: RefusedUpgrades.Answer?

    init(refusals: RefusedUpgrades) { self.refusals = refusals }

    func handlerAdded(context: ChannelHandlerContext) {
        answer = refusals.take(for: context.channel)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard let answer else { return context.write(data, promise: promise) }
        switch unwrapOutboundIn(data) {
        case .head, .body:
            promise?.succeed(())
        case .end(let trailers):
            var head = HTTPResponse(status: answer.status, headerFields: answer.headers)
            head.headerFields[.contentLength] = "\(answer.body.readableBytes)"
            head.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(answer.body)), promise: nil)
            context.write(wrapOutboundOut(.end(trailers)), promise: promise)
            self.answer = nil
        }
    }
}
