import Hummingbird

/// One spelling per resource. The router finds `/api/devices` for `//api/devices` or `/api/devices/` too (it
/// skips empty segments), and a proxy or a log reading the raw path would see something else than the route
/// that ran; so any other spelling is refused with 400 before a route runs. Authorization does not depend on
/// this (``Access`` is checked on the route itself): it keeps what the client wrote, what the logs show and
/// what ran the same.
enum CanonicalPath {
    /// Why `path` is not the one spelling of a route, or nil when it is: `/` or `/segment/…/segment`, with no
    /// empty, `.` or `..` segment, and no `/`, `\` or `.` hidden behind percent-encoding.
    static func problem(_ path: String) -> String? {
        guard path != "/" else { return nil }
        guard path.hasPrefix("/") else { return "it does not start with '/'" }
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "it has an empty segment ('//' or a trailing '/')" }
            if segment == "." || segment == ".." { return "it has a '\(segment)' segment" }
            if segment.contains("\\") { return "it contains '\\'" }
            let upper = segment.uppercased()
            for (code, character) in [("%2F", "/"), ("%5C", "\\"), ("%2E", ".")] where upper.contains(code) {
                return "it hides '\(character)' as \(code)"
            }
        }
        return nil
    }
}

/// Runs before any route (added to the router first), and for paths that reach no route too.
struct CanonicalPathMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let problem = CanonicalPath.problem(request.uri.path) {
            throw WebError.badRequest("the path '\(request.uri.path)' is not spelled canonically: \(problem)")
        }
        return try await next(request, context)
    }
}
