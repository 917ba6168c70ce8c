import Hummingbird

extension WebServer {
    /// POST trades the bearer token for the read-only page cookie (see ``BrowserSession``); DELETE forgets it.
    func addSessionRoutes(to router: Routes) {
        router.post("/api/session", .bearer) { request, _ in
            let (token, principal) = try self.authenticatedToken(request)
            var response = try JSON.response(SessionOpened(agent: principal.agent, role: principal.role.rawValue))
            response.setCookie(BrowserSession.cookie(for: token, request: request))
            return response
        }
        router.delete("/api/session", .open) { request, _ in
            var response = Response(status: .noContent)
            response.setCookie(BrowserSession.expired(request: request))
            return response
        }
    }
}

struct SessionOpened: Codable {
    var agent: String
    var role: String
}
