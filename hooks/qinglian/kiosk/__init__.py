"""The exhibition kiosk edition."""
