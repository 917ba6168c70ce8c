/// Which device of a recording a user names, for every shell that asks (`export --device`, the web API's
/// `?device=`).
extension HDF5RecordingReader {
    /// The device `name` names: its serial, its group in the file, or its position from 0; nil for none.
    public func devicePosition(named name: String) -> Int? {
        if let i = devices.firstIndex(where: { $0.device.identity.serial == name || $0.group == name }) { return i }
        if let i = Int(name), devices.indices.contains(i) { return i }
        return nil
    }

    /// The devices by their group names, which are unique where serials may repeat: what a refusal lists.
    public var deviceNames: String { devices.map(\.group).joined(separator: ", ") }
}
