"""The page layer: public pages rendered once per change and shared by every reader.

cache.py keeps whole pages in the shared cache (and marks them for a cache in front);
files.py writes them as files of the current second for nginx. Apps take part in four ways:
a view is marked `@public_page`; a change calls core.cache.bump() (every page moves on); an
app with a deadline of its own (the next scheduled post) registers it with `expires_by`; and
an app that shows one reader something of their own in a shared page (a commenter's edit
links) registers a `reader_part`. Nothing here knows an app above it.
"""
