import Hummingbird

extension WebServer {
    /// POST trades the bearer token for the read-only page cookie (see ``BrowserSession``); DELETE forgets it.
    func addSessionRoutes(to router: Router<Context>) {
        router.post("/api/session") { request, _ in
            let principal = try self.authenticate(request)
            var response = try JSON.response(SessionOpened(agent: principal.agent, role: principal.role.rawValue))
            response.setCookie(BrowserSession.cookie(for: Self.bearerToken(request) ?? "", request: request))
            return response
        }
        router.delete("/api/session") { request, _ in
            var response = Response(status: .noContent)
            response.setCookie(BrowserSession.expired(request: request))
            return response
        }
    }

    static func bearerToken(_ request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

struct SessionOpened: Codable {
    var agent: String
    var role: String
}
