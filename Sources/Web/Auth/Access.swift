import Hummingbird

/// Who may reach a route, stated where the route is registered (``Routes``) and checked on the route the router
/// dispatched to, never on the spelling of the request's path. A route cannot be added without one.
enum Access: Sendable {
    /// Carries no data: static pages and assets (they load, then ask for the token), the OpenAPI document, and
    /// forgetting the session cookie.
    case open
    /// Reads data. Open on loopback; when reads are guarded (beyond loopback or `--require-tokens`) it needs a
    /// bearer token, or the read-only session cookie on a GET (a browser navigating to a ledger page cannot
    /// set the header).
    case read
    /// Streams data over a WebSocket; guarded like ``read``, but a browser brings its token as `?token=` (it
    /// cannot set headers on a WebSocket) and the cookie is not taken.
    case stream
    /// Changes state: always a bearer token in the header, whose role may do the action.
    case write(Action)
    /// Trading a token for the session cookie: always a valid bearer token in the header, any role.
    case bearer
    /// An archive's back-fill of raw rows (docs/mqtt.md): always a bearer token in the header, even on loopback,
    /// either one of the tokens file (any role) or the secret of `serve --archive-token-file`.
    case archive
}

extension WebServer {
    /// Lets the request through to a route with `access`, or throws the 401/403 it gets instead.
    func admit(_ request: Request, to access: Access) throws(WebError) {
        switch access {
        case .open:
            return
        case .read, .stream:
            guard configuration.requireTokensForReads else { return }
            if let token = Self.browserToken(request, access), tokens.principal(for: token) != nil { return }
            _ = try authenticate(request)
        case .write(let action):
            try authorize(request, action)
        case .bearer:
            _ = try authenticate(request)
        case .archive:
            try authenticateArchive(request)
        }
    }

    /// Where a browser, which cannot set the bearer header there, carries its token instead: a WebSocket's
    /// `?token=`, or for a page read without the header the read-only session cookie.
    static func browserToken(_ request: Request, _ access: Access) -> String? {
        if case .stream = access { return request.uri.queryParameters.get("token").map { String($0) } }
        guard request.headers[.authorization] == nil else { return nil }
        return BrowserSession.token(in: request)
    }
}
