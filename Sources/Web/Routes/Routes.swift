import Hummingbird
import HummingbirdWebSocket

/// The only way a route is added to the server: each one says who may reach it (``Access``), and the check
/// runs inside the route itself, after the router chose it. So authorization follows the route the request
/// reached, however its path was spelled, and a route with no stated access cannot exist. A path that reaches
/// no route is a 404 and serves nothing.
struct Routes {
    typealias Context = WebServer.Context
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    let router: Router<Context>
    /// What a WebSocket handshake is checked against: the streams alone, so a handshake to any other path can
    /// run nothing (Hummingbird would otherwise run whatever route it names, a write included, to decide).
    let webSocketRouter: Router<Context>
    let server: WebServer

    func get(_ path: RouterPath, _ access: Access, use handler: @escaping Handler) {
        add(path, .get, access, handler)
    }

    func post(_ path: RouterPath, _ access: Access, use handler: @escaping Handler) {
        add(path, .post, access, handler)
    }

    func delete(_ path: RouterPath, _ access: Access, use handler: @escaping Handler) {
        add(path, .delete, access, handler)
    }

    /// A WebSocket route: the access check runs before `shouldUpgrade`, so a refused request is never upgraded.
    /// A plain GET (no `Upgrade: websocket`) that passes every check is told to upgrade, rather than given an
    /// empty 200.
    func ws(
        _ path: RouterPath, _ access: Access,
        shouldUpgrade: @escaping @Sendable (Request, Context) async throws -> RouterShouldUpgrade,
        onUpgrade: @escaping WebSocketDataHandler<WebSocketRouterContext<Context>>
    ) {
        let server = self.server
        for router in [router, webSocketRouter] {
            router.ws(path, shouldUpgrade: { request, context in
                try server.admit(request, to: access)
                let answer = try await shouldUpgrade(request, context)
                guard request.headers[.upgrade]?.lowercased().contains("websocket") == true else {
                    throw WebError.badRequest("\(request.uri.path) is a WebSocket stream: connect with 'Upgrade: websocket'")
                }
                return answer
            }, onUpgrade: onUpgrade)
        }
    }

    private func add(_ path: RouterPath, _ method: HTTPRequest.Method, _ access: Access, _ handler: @escaping Handler) {
        let server = self.server
        router.on(path, method: method) { request, context in
            try server.admit(request, to: access)
            return try await handler(request, context)
        }
    }
}
