"""Local assistance (issue 20): a sentence model that runs on the laptop, and the vector arithmetic over it.

Nothing here touches the project: :mod:`jswcoder.assist.model` turns texts into vectors, and
:mod:`jswcoder.assist.vectors` packs them into blobs and finds the nearest ones. The project's index,
"passages like this" and theme suggestions are :mod:`jswcoder.services.assistance`.
"""
