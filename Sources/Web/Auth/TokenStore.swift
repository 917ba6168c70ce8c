import Crypto
import Foundation

/// Bearer tokens per agent, kept as SHA-256 digests in a JSON file only its owner can read (0600).
/// The secret itself is shown once, when created, and never stored.
public struct TokenStore: Sendable {
    public struct Entry: Sendable, Codable, Equatable {
        public var agent: String
        public var role: Role
        /// Hex SHA-256 of the token.
        public var sha256: String
        public var createdAt: String

        /// A short name for the token that is safe to show and type: the digest's first 12 hex digits. It
        /// reveals nothing usable (finding a secret from it is a preimage attack on SHA-256).
        public var id: String { String(sha256.prefix(TokenStore.idLength)) }

        /// The id of a secret, for showing it once the secret was made.
        public static func id(of secret: String) -> String { String(TokenStore.digest(secret).prefix(TokenStore.idLength)) }
    }

    public static let idLength = 12

    public let path: String
    public private(set) var entries: [Entry]

    /// Reads `path`; a missing file is an empty store.
    public init(path: String) throws(WebError) {
        self.path = path
        entries = try Self.read(path)
    }

    static func read(_ path: String) throws(WebError) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            return try JSONDecoder().decode([Entry].self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .badConfiguration("cannot read tokens file \(path): \(error)")
        }
    }

    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("mosquito/web-tokens.json")
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// Creates a token for `agent`, saves its digest, and returns the secret (to be shown once).
    public mutating func create(agent: String, role: Role, now: Date = Date()) throws(WebError) -> String {
        guard !agent.isEmpty, agent.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw .badRequest("agent id must be letters, digits, '-', '_' or '.'")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = rng.next() }
        let secret = "mq_" + bytes.map { String(format: "%02x", $0) }.joined()
        let entry = Entry(agent: agent, role: role, sha256: Self.digest(secret),
                          createdAt: ISO8601DateFormatter().string(from: now))
        try update { $0.append(entry) }
        return secret
    }

    /// Removes the one token whose digest starts with `id` (at least 6 hex digits; `token list` shows 12).
    /// Unknown or ambiguous ids change nothing.
    @discardableResult
    public mutating func revoke(id: String) throws(WebError) -> Entry {
        let wanted = id.lowercased()
        guard wanted.count >= 6, wanted.count <= 64, wanted.allSatisfy(\.isHexDigit) else {
            throw .badRequest("'\(id)' is not a token id (6 to 64 hex digits, as `token list` shows)")
        }
        let path = self.path
        var removed: Entry?
        try update { (entries) throws(WebError) in
            let matches = entries.filter { $0.sha256.hasPrefix(wanted) }
            guard let match = matches.first else { throw .notFound("no token with id \(id) in \(path)") }
            guard matches.count == 1 else {
                throw .badRequest("token id \(id) is ambiguous (\(matches.count) tokens); give more digits")
            }
            entries.removeAll { $0.sha256 == match.sha256 }
            removed = match
        }
        return removed!
    }

    /// Read–modify–write under the file's lock, from what is on disk now (another process may have changed it
    /// since this store was loaded). Nothing is written when `change` throws.
    private mutating func update(_ change: (inout [Entry]) throws(WebError) -> Void) throws(WebError) {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory,
                                                    withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .badConfiguration("cannot create \(directory): \(error)")
        }
        let lock = try PrivateFile.Lock(beside: path)
        var fresh = try Self.read(path)
        try change(&fresh)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data: Data
        do { data = try encoder.encode(fresh) } catch { throw .internalError("cannot encode tokens: \(error)") }
        try PrivateFile.replace(path, with: data)
        _ = consume lock
        entries = fresh
    }

    /// The principal a presented token belongs to, or nil.
    public func principal(for token: String) -> Principal? {
        let digest = Self.digest(token)
        // Compare every entry so timing says nothing about which prefix matched.
        var found: Entry?
        for e in entries where Self.constantTimeEqual(e.sha256, digest) { found = e }
        return found.map { Principal(agent: $0.agent, role: $0.role) }
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
