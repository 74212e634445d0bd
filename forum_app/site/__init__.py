"""The site as a whole: the language redirect, the home page, the staff dashboard, health and errors."""
