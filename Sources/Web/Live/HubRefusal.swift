import Acquisition

extension WebError {
    /// A hub's refusal as the HTTP answer it deserves: wrong mode 409, instrument trouble 503, bad request 400.
    init(_ refusal: StreamHub.Refusal) {
        switch refusal {
        case .conflict(let why): self = .conflict(why)
        case .unavailable(let why): self = .unavailable(why)
        case .badRequest(let why): self = .badRequest(why)
        }
    }

    /// Runs a mode change of a hub, answering its refusal as HTTP.
    static func answering<T>(_ body: () throws(StreamHub.Refusal) -> T) throws(WebError) -> T {
        do { return try body() } catch { throw WebError(error) }
    }
}
