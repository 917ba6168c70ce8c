import Foundation

/// Unix seconds as UTC text in a fixed format (`yyyyMMdd`, `yyyy-MM-dd HH:mm:ss 'UTC'`): whatever the host's
/// locale and zone, certificates, IDs and credits read the same.
func utcText(_ unixSeconds: UInt64, format: String) -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = format
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(unixSeconds)))
}
