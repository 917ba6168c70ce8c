import CHDF5
import Foundation

/// The per-channel calibration records, written once before SWMR starts as fixed-size column datasets.
enum CalibrationTable {
    static func write(_ records: [RecordedCalibration], groupPath: String, in file: hid_t) throws(HDF5Error) {
        typealias C = RecordingLayout.Calibration
        let group = try HDF5Group(creating: groupPath, in: file)
        let count = UInt64(records.count)
        try strings(C.channel, records.map(\.channel), in: group.id)
        try numbers(C.degree, records.map { Int64($0.degree) }, shape: [count], type: .nativeInt64(), in: group.id)
        try numbers(C.coefficients, records.flatMap(\.coefficients), shape: [count, 4], type: .nativeDouble(),
                    in: group.id)
        try numbers(C.calibratedAtUnix, records.map(\.calibratedAt), shape: [count], type: .nativeInt64(),
                    in: group.id)
        try strings(C.calibratedAt, records.map {
            UTCTimestamp.string(Date(timeIntervalSince1970: TimeInterval($0.calibratedAt)))
        }, in: group.id)
        try strings(C.technician, records.map(\.technician), in: group.id)
        try strings(C.certificateID, records.map { $0.certificateID ?? "" }, in: group.id)
    }

    private static func strings(_ name: String, _ values: [String], in group: hid_t) throws(HDF5Error) {
        let type = try HDF5Datatype.variableString()
        let dataset = try create(name, shape: [UInt64(values.count)], type: type, in: group)
        guard !values.isEmpty else { return }
        try VariableStrings.withPointers(values) { (pointers) throws(HDF5Error) in
            try dataset.writeAll(pointers, memoryType: type)
        }
    }

    private static func numbers<Number>(_ name: String, _ values: [Number], shape: [UInt64],
                                        type: consuming HDF5Datatype, in group: hid_t) throws(HDF5Error) {
        let dataset = try create(name, shape: shape, type: type, in: group)
        guard !values.isEmpty else { return }
        let outcome: Result<Void, HDF5Error> = values.withUnsafeBytes { buffer in
            do throws(HDF5Error) { return .success(try dataset.writeAll(buffer.baseAddress!, memoryType: type)) }
            catch { return .failure(error) }
        }
        try outcome.get()
    }

    private static func create(_ name: String, shape: [UInt64], type: borrowing HDF5Datatype,
                               in group: hid_t) throws(HDF5Error) -> HDF5Dataset {
        let space = try HDF5Dataspace.simple(shape)
        return try HDF5Dataset(creating: name, in: group, type: type, space: space,
                               creation: HDF5PropertyList(.datasetCreate), access: HDF5PropertyList(.datasetAccess))
    }
}
