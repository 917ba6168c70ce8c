import Synchronization

/// The tokens a running server accepts: the tokens file as it is on disk *now*, so `token revoke` (or a new
/// `token create`) takes effect on the next request without a restart.
///
/// Every lookup stat()s the file and re-reads it only when its fingerprint (device, inode, size, mtime)
/// changed. A stat is about a microsecond, far below a request's cost, and unlike a polling interval it leaves
/// no window in which a revoked token still works. Writers replace the file by rename, so the inode always
/// changes even when size and mtime would not.
///
/// Fails closed: if the file becomes unreadable or malformed, no token is accepted until it is fixed.
public final class TokenFile: Sendable {
    public let path: String

    private struct State {
        var fingerprint: PrivateFile.Fingerprint?
        var store: TokenStore?
    }
    private let state: Mutex<State>

    /// Reads the file once; an unreadable file at start is an error (a running server fails closed instead).
    public init(path: String) throws(WebError) {
        self.path = path
        let fingerprint = try PrivateFile.fingerprint(path)
        let store = try TokenStore(path: path)
        state = Mutex(State(fingerprint: fingerprint, store: store))
    }

    /// The tokens as of this call.
    public func current() -> TokenStore? {
        state.withLock { state in
            let now: PrivateFile.Fingerprint?
            do { now = try PrivateFile.fingerprint(path) } catch {
                state = State(fingerprint: nil, store: nil)
                return nil
            }
            // Deleting the file changes the fingerprint to nil and so revokes everything (missing = empty).
            // A replace racing this stat only causes one more reload on the next request.
            if now != state.fingerprint {
                // The file is a few hundred bytes per token; reading it under the lock keeps one reload per change.
                state = State(fingerprint: now, store: try? TokenStore(path: path))
            }
            return state.store
        }
    }

    public func principal(for token: String) -> Principal? {
        current()?.principal(for: token)
    }

    public var isEmpty: Bool { current()?.isEmpty ?? true }
}
