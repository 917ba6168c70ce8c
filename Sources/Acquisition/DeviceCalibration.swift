import MWP

/// The calibration record as the instrument stores it (MWP/1), named apart from the recording's own record type.
public typealias DeviceCalibration = CalibrationRecord
