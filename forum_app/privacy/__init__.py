"""Personal data: the registry every domain adds its part to (access and erasure by address), its staff page and the privacy notice."""
