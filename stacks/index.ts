/** The Pulumi program of every landing-zone stack (Pulumi.yaml `main: stacks/`): an async program. */
import { runStack } from "./program";

export = runStack;
