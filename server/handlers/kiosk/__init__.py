"""Pages of a kiosk at a library hub (issue 13), its enrolment and its management."""
