"""Assisted-digital kiosks at library hubs (issue 13): the kiosk device and its cookie,
help requests, assisted sessions. No HTTP here beyond reading the kiosk cookie."""
