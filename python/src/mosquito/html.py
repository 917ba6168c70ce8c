"""Rich notebook display: identity, channels, duration, gaps and calibration dates at a glance."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, List

from .tables import gaps_by_cause

if TYPE_CHECKING:
    from .device import Device
    from .recording import Recording

_STYLE = "border-collapse:collapse;font-size:90%"
_CELL = "style='padding:2px 8px;text-align:left;border-bottom:1px solid #ddd'"


def _table(header: List[str], rows: List[List[str]]) -> str:
    head = "".join(f"<th {_CELL}>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {_CELL}>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table style='{_STYLE}'><tr>{head}</tr>{body}</table>"


def device_html(dev: "Device") -> str:
    gaps = dev.gaps
    missing = gaps_by_cause(gaps)
    summary = (f"{len(dev)} samples at {dev.rate_hz:g} Hz, {dev.duration:.3f} s, "
               f"indices {dev.first_index}…{dev.last_index}; "
               + (f"{len(gaps)} gaps, {sum(missing.values())} samples missing ("
                  + ", ".join(f"{k} {v}" for k, v in sorted(missing.items())) + ")" if gaps else "no gaps")
               + f"; {len(dev.events)} events")
    rows = []
    for c in dev.channels:
        cal = c.calibration
        rows.append([c.name, c.kind, c.unit, f"{c.adc_bits}-bit {c.raw_min}…{c.raw_max}",
                     f"degree {cal.degree} {list(cal.coefficients[:cal.degree + 1])}" if cal else "none",
                     cal.calibrated_at.strftime("%Y-%m-%d") + f" by {cal.technician}" if cal else "",
                     (cal.certificate_id or "") if cal else ""])
    return (f"<div><b>{escape(dev.serial)}</b> {escape(dev.design)} rev {escape(dev.hardware_revision)}, "
            f"firmware {escape(dev.firmware_version)} <code>{escape(dev.uri)}</code><br>{escape(summary)}<br>"
            f"pipeline: {escape('; '.join(dev.pipeline) or 'none')}"
            + _table(["channel", "kind", "unit", "ADC", "calibration", "calibrated", "certificate"], rows)
            + "</div>")


def recording_html(rec: "Recording") -> str:
    state = (f"stopped {rec.stop_time}" if rec.closed_cleanly
             else "no stop time: still recording, or the recorder was killed")
    head = (f"<div><b>{escape(rec.path)}</b>: mosquito-recording v{rec.format_version}, "
            f"software {escape(rec.software_version)}, host {escape(rec.host)}<br>"
            f"started {escape(rec.start_time)}, {escape(state)}<br><code>{escape(rec.command_line)}</code></div>")
    return head + "".join(device_html(d) for d in rec.devices)
