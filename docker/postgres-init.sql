-- Evolution API keeps its own database beside Omni's.
CREATE DATABASE evolution;
