"""The 外勤服务 (field service) switch of the window: dialog and its Chinese texts."""
