"""The Wagtail project's apps, under one namespace: `concertem.<app>` (labels stay `<app>`)."""
