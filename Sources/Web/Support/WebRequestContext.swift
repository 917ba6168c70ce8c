import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// What every route sees with its request: Hummingbird's WebSocket-capable context, plus the connection the
/// request came on, on which a refused WebSocket upgrade is answered (``RefusedUpgrades``).
public struct WebRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<WebRequestContext>
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        channel = source.channel
    }
}
