"""Files and feeds in and out: spreadsheet import, exports, the regjeringen.no feed, the calendar, the brief."""
