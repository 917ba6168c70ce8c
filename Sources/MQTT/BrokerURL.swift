/// Where to publish to, or subscribe from: `mqtt://[user@]host[:port]/<site>` or `mqtts://…` (TLS). The path
/// names the site, the second level of every topic (`mosquito/v1/<site>/…`). A password is never part of
/// the URL: it would show in `ps` and in shell history; it comes from a file or an environment variable.
public struct BrokerURL: Sendable, Equatable, CustomStringConvertible {
    public enum Scheme: String, Sendable { case mqtt, mqtts }

    public var scheme: Scheme
    public var host: String
    public var port: Int
    public var username: String?
    public var site: String

    public var usesTLS: Bool { scheme == .mqtts }

    public static func defaultPort(_ scheme: Scheme) -> Int { scheme == .mqtt ? 1883 : 8883 }

    public init(scheme: Scheme, host: String, port: Int? = nil, username: String? = nil, site: String) {
        self.scheme = scheme
        self.host = host
        self.port = port ?? Self.defaultPort(scheme)
        self.username = username
        self.site = site
    }

    /// `requireSite: false` accepts a URL without `/SITE` (a subscriber of every site); `site` is then empty.
    public init(parsing text: String, requireSite: Bool = true) throws(BrokerURLError) {
        guard let colon = text.firstIndex(of: ":"), text[colon...].hasPrefix("://") else { throw .notAURL(text) }
        guard let scheme = Scheme(rawValue: text[..<colon].lowercased()) else {
            throw .unknownScheme(String(text[..<colon]))
        }
        var rest = text[text.index(colon, offsetBy: 3)...]
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            rest = rest[rest.index(after: slash)...]
        } else {
            rest = rest[rest.endIndex...]
        }
        var username: String?
        if let at = authority.lastIndex(of: "@") {
            let user = authority[..<at]
            guard !user.contains(":") else { throw .passwordInURL }
            guard !user.isEmpty else { throw .emptyUsername }
            username = String(user)
            authority = authority[authority.index(after: at)...]
        }
        var host = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .badHost(String(authority)) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .badHost(String(authority)) }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains(where: { $0 == " " || $0 == "/" }) else { throw .badHost(String(authority)) }
        var port = Self.defaultPort(scheme)
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else { throw .badPort(String(portText)) }
            port = p
        }
        if rest.isEmpty {
            guard !requireSite else { throw .missingSite }
        } else {
            guard Self.isTopicLevel(rest) else { throw .badSite(String(rest)) }
        }
        self.init(scheme: scheme, host: String(host), port: port, username: username, site: String(rest))
    }

    /// One topic level a person can type and every broker accepts: letters, digits, `-`, `_`, `.`; never an MQTT
    /// wildcard (`+`, `#`), a level separator, or a `$` (reserved for the broker's own topics).
    public static func isTopicLevel<S: StringProtocol>(_ text: S) -> Bool {
        !text.isEmpty && text.utf8.count <= 128
            && text.unicodeScalars.allSatisfy { s in
                s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == ".")
            }
    }

    /// The URL as typed, without anything secret (there is nothing secret in it).
    public var description: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.rawValue)://\(username.map { "\($0)@" } ?? "")\(h):\(port)/\(site)"
    }
}

public enum BrokerURLError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAURL(String)
    case unknownScheme(String)
    case passwordInURL
    case emptyUsername
    case badHost(String)
    case badPort(String)
    case missingSite
    case badSite(String)

    public var description: String {
        switch self {
        case .notAURL(let t): "'\(t)' is not a broker URL; expected mqtt://[user@]host[:port]/SITE or mqtts://…"
        case .unknownScheme(let s): "unknown scheme '\(s)'; expected mqtt or mqtts"
        case .passwordInURL: "a password does not belong in the broker URL; use a password file or MOSQUITO_MQTT_PASSWORD"
        case .emptyUsername: "empty user name before '@' in the broker URL"
        case .badHost(let h): "bad broker host '\(h)'"
        case .badPort(let p): "bad broker port '\(p)'; expected 1-65535"
        case .missingSite: "the broker URL names no site: add /SITE, e.g. mqtt://broker:1883/lab1"
        case .badSite(let s): "bad site '\(s)': letters, digits, '-', '_' and '.' only"
        }
    }
}
