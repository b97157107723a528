// The engine job that renders one shot of a project: the project's plain data
// (core/project) turned into a JobSpec, paths resolved against the project file.
//
//   DC_TRY(JobSpec spec, job_for_shot(project, project.shots[3], "film.dcproj"));
//   engine.submit(std::move(spec));
#pragma once

#include <filesystem>

#include "core/base/result.h"
#include "core/engine/job.h"
#include "core/project/project.h"

namespace dc::engine {

// kNotSupported for a sampler the pipelines do not have. Video shots become
// kTextToVideo jobs (which the engine reports as not implemented yet).
Result<JobSpec> job_for_shot(const project::Project& project, const project::Shot& shot,
                             const std::filesystem::path& project_file);

}  // namespace dc::engine
