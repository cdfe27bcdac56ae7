package org.geohazard.inference;

import java.nio.FloatBuffer;
import org.geohazard.inference.scene.SceneWindow;

/** One window of a scene, letterboxed for its model and waiting for (or in) a run. */
record Tile(Scene scene, Scene.Pass pass, SceneWindow window, FloatBuffer input, Letterbox.Placement placement,
            long enqueuedNanos) {}
