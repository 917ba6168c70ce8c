import HTTPTypes
import Hummingbird

/// Lets a browser read the server-rendered ledger pages beyond loopback: a navigation cannot carry the bearer
/// header, so the page's token box exchanges the token (sent in the header) for an HttpOnly cookie.
///
/// The cookie only ever grants reads (GET and HEAD). Every write still needs the Authorization header, which a
/// cross-site form or link cannot add, so the cookie gives a forged request nothing to write with; SameSite=Strict
/// keeps it off cross-site requests altogether, and HttpOnly keeps page scripts from reading it.
enum BrowserSession {
    static let cookieName = "mosquito_token"
    /// A day: a browser left open on a lab bench asks again tomorrow.
    static let lifetimeSeconds = 86_400

    /// The token a read request's cookie carries, if any.
    static func token(in request: Request) -> String? {
        guard request.method == .get || request.method == .head else { return nil }
        return request.cookies[cookieName]?.value
    }

    /// `Secure` when the request reached us over TLS through a proxy, the only way this server sees TLS.
    static func cookie(for token: String, request: Request) -> Cookie {
        Cookie(name: cookieName, value: token, maxAge: lifetimeSeconds, path: "/", secure: viaTLS(request),
               httpOnly: true, sameSite: .strict)
    }

    static func expired(request: Request) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: viaTLS(request), httpOnly: true, sameSite: .strict)
    }

    private static func viaTLS(_ request: Request) -> Bool {
        guard let name = HTTPField.Name("X-Forwarded-Proto") else { return false }
        return request.headers[name]?.lowercased() == "https"
    }
}
