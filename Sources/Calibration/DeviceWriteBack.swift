import Device
import MWP

/// Stores a calibration on the device and proves it is there: SET_CALIBRATION, then GET_CALIBRATION and an exact
/// comparison (f64 coefficients survive the wire bit for bit, so anything else is a fault).
public func writeAndVerify(_ record: CalibrationRecord, on session: DeviceSession) throws(CalibrationError) {
    do throws(DeviceError) {
        try session.writeCalibration(record)
    } catch {
        if case .refused(.setCalibration, let status, _) = error { throw .writeRefused(channel: record.channel, status) }
        throw .device(error)
    }
    let readBack: CalibrationRecord
    do throws(DeviceError) { readBack = try session.readCalibration(channel: record.channel) } catch { throw .device(error) }
    guard readBack == record else { throw .readBackMismatch(channel: record.channel, wrote: record, readBack: readBack) }
}
